// PBT checkpoints for commands: H5TUNE_CHECKPOINT_DIR and H5TUNE_RESTORE_FROM, and the
// {checkpoint_dir} and {restore_from} placeholders, set from the Trial's checkpoint paths
// and removed when it has none.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>

#include "h5tune/command.hpp"
#include "objective/objective_test_support.hpp"

namespace h5tune {
namespace {

using namespace std::chrono_literals;

// Prints both variables and both placeholders, one per line, into env.txt in its trial dir
// (braces doubled: the argv template would read them as placeholders).
const char* const print_script =
    "printf '%s\\n' \"${{H5TUNE_CHECKPOINT_DIR-unset}}\" \"${{H5TUNE_RESTORE_FROM-unset}}\" \"$1\" \"$2\" > env.txt; "
    "echo 'h5tune: loss=1'";

class CheckpointEnvTest : public test::TempDirTest {
 protected:
  std::vector<std::string> run(const CheckpointPaths& paths) {
    CommandSpec spec;
    spec.trials_dir = dir_ / "trials";
    spec.timeout = 20s;
    spec.argv = {"/bin/sh", "-c", print_script, "sh", "{checkpoint_dir}", "{restore_from}"};
    CommandObjective objective(spec, space_);
    const Trial trial(space_, record_, {}, paths);
    const Outcome outcome = objective.evaluate(trial, reporter_);
    EXPECT_EQ(outcome.state, TrialState::complete) << outcome.message << outcome.stderr_tail;
    return test::read_lines(spec.trials_dir / "12" / "env.txt");
  }

  Space space_ = test::sample_space();
  TrialRecord record_ = test::sample_record();
  test::RecordingReporter reporter_;
};

TEST_F(CheckpointEnvTest, SegmentWithAParentGetsBothDirectories) {
  const CheckpointPaths paths{dir_ / "trials" / "12" / "checkpoint", dir_ / "trials" / "5" / "checkpoint"};
  const auto lines = run(paths);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], paths.save.string());
  EXPECT_EQ(lines[1], paths.restore.string());
  EXPECT_EQ(lines[2], paths.save.string());
  EXPECT_EQ(lines[3], paths.restore.string());
}

TEST_F(CheckpointEnvTest, TrialsWithoutCheckpointsDoNotInheritOurVariables) {
  ::setenv("H5TUNE_RESTORE_FROM", "/inherited", 1);
  ::setenv("H5TUNE_CHECKPOINT_DIR", "/inherited", 1);
  const auto first_segment = run({dir_ / "trials" / "12" / "checkpoint", {}});
  const auto no_checkpoints = run({});
  ::unsetenv("H5TUNE_RESTORE_FROM");
  ::unsetenv("H5TUNE_CHECKPOINT_DIR");
  EXPECT_EQ(first_segment, (std::vector<std::string>{(dir_ / "trials" / "12" / "checkpoint").string(), "unset",
                                                      (dir_ / "trials" / "12" / "checkpoint").string(), ""}));
  EXPECT_EQ(no_checkpoints, (std::vector<std::string>{"unset", "unset", "", ""}));
}

TEST(CheckpointPlaceholders, AreBuiltInNames) {
  const Space space = test::sample_space();
  EXPECT_EQ(check_argv_template({"prog", "{checkpoint_dir}", "--from={restore_from}"}, space), "");
  Space clash;
  clash.add_float("restore_from", 0.0, 1.0);
  EXPECT_NE(check_argv_template({"prog", "{restore_from}"}, clash).find("ambiguous"), std::string::npos);
}

}  // namespace
}  // namespace h5tune
