// `h5tune replay`: logged trials re-run with their parameters and seeds reproduce, and an
// objective that ignores its seed is caught; a PBT segment continues its parent's checkpoint.
#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "e2e/log_polling.hpp"
#include "e2e/pbt_support.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

/// The standard e2e study with its command replaced by `sh <script> {x} {n}`.
std::string study_with_script(int trials, const std::string& script) {
  std::string text = study_text(trials);
  const auto at = text.find("command = [");
  const auto end = text.find('\n', at);
  text.replace(at, end - at, "command = [\"sh\", \"" + script + "\", \"{x}\", \"{n}\"]");
  return text;
}

TEST(CliReplay, DeterministicTrialsReproduceExactly) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(6));
  ASSERT_EQ(run_process({cli, "run", study, "--quiet"}).exit_code, 0);
  const auto log = (dir / "run.h5").string();
  // A trial given twice is replayed once.
  const auto replay = run_process({cli, "replay", log, "--trial", "0", "--trial", "3", "--trial", "0"});
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("2 of 2 trials reproduced"), std::string::npos) << replay.output;
  EXPECT_EQ(replay.output.find("DIFFERS"), std::string::npos) << replay.output;
  for (const char* row : {"state", "loss", "curve loss"}) EXPECT_NE(replay.output.find(row), std::string::npos) << row;
  // The replay ran in a directory of its own; the run's trial directory is left alone.
  EXPECT_TRUE(std::filesystem::exists(dir / "run.h5.replay" / "3" / "stdout.log"));
  EXPECT_FALSE(std::filesystem::exists(dir / "run.trials" / "3" / "replay"));
}

TEST(CliReplay, AnObjectiveIgnoringItsSeedIsCaught) {
  TempDir dir;
  // The loss depends on fresh randomness, not on H5TUNE_SEED.
  const auto script = write_file(dir / "noisy.sh",
                                 "#!/bin/sh\n"
                                 "noise=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')\n"
                                 "echo \"h5tune: step=1 loss=$noise\"\n"
                                 "echo \"h5tune: loss=$noise\"\n");
  const auto study = write_file(dir / "study.toml", study_with_script(3, script));
  ASSERT_EQ(run_process({cli, "run", study, "--quiet"}).exit_code, 0);
  const auto replay = run_process({cli, "replay", (dir / "run.h5").string(), "--trial", "1"});
  EXPECT_EQ(replay.exit_code, 4) << replay.output;
  EXPECT_NE(replay.output.find("DIFFERS"), std::string::npos) << replay.output;
  EXPECT_NE(replay.output.find("0 of 1 trials reproduced"), std::string::npos) << replay.output;
}

TEST(CliReplay, ToleranceAcceptsSmallDifferences) {
  TempDir dir;
  // 1 + noise below 1e-6: not bit for bit, but within --atol 1e-6.
  const auto script = write_file(dir / "jitter.sh",
                                 "#!/bin/sh\n"
                                 "noise=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')\n"
                                 "echo \"h5tune: loss=1.0000000${noise}\"\n");
  const auto study = write_file(dir / "study.toml", study_with_script(2, script));
  ASSERT_EQ(run_process({cli, "run", study, "--quiet"}).exit_code, 0);
  const auto log = (dir / "run.h5").string();
  const auto loose = run_process({cli, "replay", log, "--trial", "0", "--atol", "1e-6"});
  EXPECT_EQ(loose.exit_code, 0) << loose.output;
  const auto relative = run_process({cli, "replay", log, "--trial", "0", "--rtol", "1e-6"});
  EXPECT_EQ(relative.exit_code, 0) << relative.output;
}

TEST(CliReplay, FindsTheStudyAfterTheDirectoryMoved) {
  TempDir dir;
  std::filesystem::create_directory(dir / "a");
  const auto study = write_file(dir / "a" / "study.toml", study_text(3));
  ASSERT_EQ(run_process({cli, "run", study, "--quiet"}).exit_code, 0);
  std::filesystem::rename(dir / "a", dir / "b");  // the stored study path is stale now
  const auto replay = run_process({cli, "replay", (dir / "b" / "run.h5").string(), "--trial", "2"});
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "b" / "run.h5.replay" / "2" / "stdout.log"));
}

TEST(CliReplay, ASegmentRestoresItsParentsCheckpointOrIsRefusedWhenItIsGone) {
  TempDir dir;
  const auto script = dir / "segment.sh";
  write_file(script, pbt_segment_script);
  const auto study = write_file(dir / "pbt.toml", pbt_study_text(script, 4, 3, 4));
  ASSERT_EQ(run_process({cli, "run", study, "--quiet"}).exit_code, 0);
  const auto log = (dir / "run.h5").string();
  const auto trials_dir = dir / "run.trials";

  // A second-generation segment whose parent's checkpoint the run's retention deleted.
  std::int64_t child = -1, parent = -1;
  for (const auto& t : LogReader(log).trials())
    if (t.parent >= 0 && !std::filesystem::exists(trials_dir / std::to_string(t.parent) / "checkpoint") &&
        LogReader(log).trials(t.parent, 1).at(0).parent < 0) {
      child = t.id;
      parent = t.parent;
      break;
    }
  ASSERT_GE(child, 0) << "no segment of the second generation lost its parent's checkpoint";
  const auto gone = run_process({cli, "replay", log, "--trial", std::to_string(child)});
  EXPECT_EQ(gone.exit_code, 2) << gone.output;
  EXPECT_NE(gone.output.find("no longer exists"), std::string::npos) << gone.output;
  EXPECT_NE(gone.output.find(fmt::format("trial {}'s checkpoint", parent)), std::string::npos) << gone.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "run.h5.replay" / std::to_string(child))) << "refused before running";

  // The parent started from scratch: its replay saves the checkpoint the run saved, in the
  // replay's directory. Put it back where the run kept it, as if retention had kept it.
  const auto first = run_process({cli, "replay", log, "--trial", std::to_string(parent)});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const auto saved = dir / "run.h5.replay" / std::to_string(parent) / "checkpoint";
  ASSERT_TRUE(std::filesystem::exists(saved / "state")) << first.output;
  std::filesystem::copy(saved, trials_dir / std::to_string(parent) / "checkpoint", std::filesystem::copy_options::recursive);
  const std::string parent_state = read_file(trials_dir / std::to_string(parent) / "checkpoint" / "state");

  const auto replay = run_process({cli, "replay", log, "--trial", std::to_string(child)});
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("1 of 1 trials reproduced"), std::string::npos) << replay.output;
  const auto replayed = dir / "run.h5.replay" / std::to_string(child);
  EXPECT_EQ(read_file(replayed / "restored_owner"), std::to_string(parent) + "\n");
  // It saved into a checkpoint directory of its own; the parent's is as it was.
  EXPECT_TRUE(std::filesystem::exists(replayed / "checkpoint" / "state"));
  EXPECT_EQ(read_file(trials_dir / std::to_string(parent) / "checkpoint" / "state"), parent_state);
}

TEST(CliReplay, BadInputExitsWithCode2) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(3));
  ASSERT_EQ(run_process({cli, "run", study, "--quiet"}).exit_code, 0);
  const auto unknown = run_process({cli, "replay", (dir / "run.h5").string(), "--trial", "99"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("no trial 99"), std::string::npos) << unknown.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "run.h5.replay")) << "nothing runs when a trial id is bad";

  const auto not_a_log = run_process({cli, "replay", study, "--trial", "0"});
  EXPECT_EQ(not_a_log.exit_code, 2) << not_a_log.output;
  EXPECT_NE(not_a_log.output.find("study.toml"), std::string::npos) << not_a_log.output;

  const auto no_trial = run_process({cli, "replay", (dir / "run.h5").string()});
  EXPECT_EQ(no_trial.exit_code, 2) << no_trial.output;
}

TEST(CliReplay, AnInterruptedTrialWithoutReportsIsRefusedRatherThanCalledNotReproduced) {
  TempDir dir;
  const auto script = write_file(dir / "sleep.sh", "sleep 60\n");
  const auto study = write_file(dir / "study.toml", study_with_script(2, script));
  BackgroundProcess run({cli, "run", study, "--quiet"}, (dir / "run.out").string());
  ASSERT_TRUE(wait_for_log(dir / "run.h5", 60, [](const std::vector<TrialRecord>& trials) {
    return !trials.empty() && trials[0].state == TrialState::running;
  }));
  ASSERT_EQ(run.signal_and_wait(SIGTERM), 3) << read_file(dir / "run.out");
  ASSERT_EQ(LogReader(dir / "run.h5").trials(0, 1).at(0).state, TrialState::interrupted);

  const auto replay = run_process({cli, "replay", (dir / "run.h5").string(), "--trial", "0"});
  EXPECT_EQ(replay.exit_code, 2) << replay.output;
  EXPECT_NE(replay.output.find("trial 0 was interrupted before it reported a step"), std::string::npos) << replay.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "run.h5.replay")) << "nothing runs";
}

}  // namespace
}  // namespace h5tune::test
