// The failure zoo, end to end: through `h5tune run`, command objectives that segfault,
// exit non-zero, hang past their timeout (with a child that ignores SIGTERM), print no
// metric, a non-finite or an unparseable one, or flood their output. Every other trial
// (even ids) misbehaves: each such row must be `failed` with a reason naming the cause
// (and the stderr tail where there is one), no process of its group may survive, and the
// odd trials around it must complete: the study goes on. Then a study in which about 30%
// of the trials fail, in three ways, completes with the right counts.
// (tests/objective/command_objective_test.cpp checks the same endings one trial at a time.)
#include <signal.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <map>

#include "e2e/cli_support.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

namespace fs = std::filesystem;

std::string zoo_study(const std::string& script, int max_trials, const std::string& timeout) {
  return fmt::format(R"([study]
name = "zoo"
direction = "minimize"
metric = "loss"
seed = 5
max_trials = {}
log = "zoo.h5"

[objective]
command = ["sh", "{}", "{{x}}"]
timeout = "{}"
kill_grace = "1s"

[space]
x = {{ float = [0.0, 1.0] }}
)",
                     max_trials, script, timeout);
}

/// A process is gone when it does not exist or is a zombie (dead, waiting for a reaper
/// that is not ours: the trial's program exited and its children were re-parented).
bool process_gone(pid_t pid) {
  if (kill(pid, 0) != 0) return errno == ESRCH;
  const std::string stat = read_file(fs::path("/proc") / std::to_string(pid) / "stat");
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

struct Misbehaviour {
  const char* name;
  const char* body;            ///< shell code run by the even trials instead of reporting
  std::string timeout = "30s";
  std::string reason;          ///< in the failed row's message
  std::string stderr_tail;     ///< in its stderr tail ("": not checked)
};

void PrintTo(const Misbehaviour& m, std::ostream* out) { *out << m.name; }

class FailureZoo : public ::testing::TestWithParam<Misbehaviour> {};

TEST_P(FailureZoo, EachMisbehavingTrialFailsWithItsReasonAndTheStudyGoesOn) {
  const Misbehaviour& m = GetParam();
  TempDir dir;
  const auto script = write_file(dir / "objective.sh", fmt::format(R"(#!/bin/sh
if [ $((H5TUNE_TRIAL_ID % 2)) -eq 0 ]; then
{}
fi
echo "h5tune: loss=$1"
)",
                                                                   m.body));
  const auto study = write_file(dir / "study.toml", zoo_study(script, 4, m.timeout));
  const auto run = run_process({cli, "run", study, "-q"});
  ASSERT_EQ(run.exit_code, 0) << "failed trials are data, not errors:\n" << run.output;

  LogReader log(dir / "zoo.h5");
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 4U);
  for (const auto& t : trials) {
    const fs::path trial_dir = dir / "zoo.trials" / std::to_string(t.id);
    if (t.id % 2 == 1) {
      EXPECT_EQ(t.state, TrialState::complete) << "trial " << t.id << ": " << t.message;
      EXPECT_EQ(t.value, t.values[0]);
      continue;
    }
    EXPECT_EQ(t.state, TrialState::failed) << "trial " << t.id;
    EXPECT_NE(t.message.find(m.reason), std::string::npos) << "trial " << t.id << " message: " << t.message;
    if (!m.stderr_tail.empty()) {
      EXPECT_NE(t.stderr_tail.find(m.stderr_tail), std::string::npos) << "trial " << t.id << ": " << t.stderr_tail;
    }
    if (fs::exists(trial_dir / "child.pid")) {
      const pid_t child = std::stoi(read_file(trial_dir / "child.pid"));
      EXPECT_TRUE(process_gone(child)) << "trial " << t.id << ": its child " << child << " survived";
    }
    // The trial's own logs stay bounded (16 MiB each, then a note).
    for (const char* name : {"stdout.log", "stderr.log"}) {
      if (fs::exists(trial_dir / name)) {
        EXPECT_LE(fs::file_size(trial_dir / name), (16U << 20) + 4096U) << name;
      }
    }
  }
}

const Misbehaviour zoo[] = {
    {"segfault", "echo 'about to segfault' >&2; kill -SEGV $$", "30s", "killed by signal 11", "about to segfault"},
    {"nonzero_exit", "echo 'cannot open data.csv' >&2; exit 7", "30s", "exit code 7", "cannot open data.csv"},
    // The child ignores SIGTERM: only the SIGKILL to the whole group after kill_grace ends it.
    {"hang_past_timeout_with_a_child",
     "(trap '' TERM; exec sleep 1000) &\n echo $! > child.pid\n echo 'stuck in a loop' >&2\n sleep 1000",
     "1s", "timed out after 1 s", "stuck in a loop"},
    {"no_metric", "echo 'training done, forgot to report'; exit 0", "30s", "no value for metric 'loss'", ""},
    {"nan_metric", "echo 'h5tune: loss=nan'; exit 0", "30s", "metric 'loss' is nan", ""},
    {"infinite_metric", "echo 'h5tune: loss=-inf'; exit 0", "30s", "metric 'loss' is -inf", ""},
    {"unparseable_metric", "echo 'h5tune: loss=abc'; exit 0", "30s", "value of 'loss' is not a number: 'abc'", ""},
    // 20 MB of short lines and a 3 MB line on stdout, 4 MB on stderr, then an error.
    {"flood_of_output",
     "yes 'spam spam spam spam spam' | head -c 20000000\n head -c 3000000 /dev/zero | tr '\\0' x\n"
     " yes 'noise on stderr' | head -c 4000000 >&2\n echo 'out of patience' >&2\n exit 1",
     "60s", "exit code 1", "out of patience"},
};

INSTANTIATE_TEST_SUITE_P(Kinds, FailureZoo, ::testing::ValuesIn(zoo),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(FailureZoo, StudyWithThirtyPercentFailingTrialsCompletesWithTheRightCounts) {
  TempDir dir;
  // Trials with x < 0.3 fail, in turn by exit code, signal and a NaN metric.
  const auto script = write_file(dir / "objective.sh", R"(#!/bin/sh
if awk -v x="$1" 'BEGIN { exit !(x < 0.3) }'; then
  case $((H5TUNE_TRIAL_ID % 3)) in
    0) echo "x too small" >&2; exit 2;;
    1) kill -SEGV $$;;
    2) echo "h5tune: loss=nan"; exit 0;;
  esac
fi
echo "h5tune: loss=$1"
)");
  const auto study = write_file(dir / "study.toml", zoo_study(script, 60, "30s"));
  const auto run = run_process({cli, "run", study, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;

  const auto trials = LogReader(dir / "zoo.h5").trials();
  ASSERT_EQ(trials.size(), 60U);
  std::map<std::string, int> reasons;
  int failed = 0;
  for (const auto& t : trials) {
    const bool should_fail = t.values[0] < 0.3;
    EXPECT_EQ(t.state, should_fail ? TrialState::failed : TrialState::complete) << t.id << ": " << t.message;
    if (!should_fail) continue;
    ++failed;
    for (const char* reason : {"exit code 2", "killed by signal 11", "is nan"})
      if (t.message.find(reason) != std::string::npos) ++reasons[reason];
  }
  EXPECT_GE(failed, 9) << "about 30% of 60";
  EXPECT_LE(failed, 27) << "about 30% of 60";
  EXPECT_EQ(reasons.size(), 3U) << "every kind of failure occurred";
  int named = 0;
  for (const auto& [reason, count] : reasons) named += count;
  EXPECT_EQ(named, failed) << "every failed row names its reason";

  const auto show = run_process({cli, "show", (dir / "zoo.h5").string()});
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find(fmt::format("trials     60, {} complete, {} failed", 60 - failed, failed)),
            std::string::npos)
      << show.output;
}

}  // namespace
}  // namespace h5tune::test
