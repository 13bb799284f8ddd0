// Rank 0's status line: what it counts as finished.
#include <sstream>

#include <gtest/gtest.h>

#include "runtime/progress.hpp"
#include "support/study_builder.hpp"
#include "support/temp_dir.hpp"

namespace h5tune {
namespace {

/// The final status line of a 10-trial study whose run ended with `summary` after a minute;
/// `earlier` holds what earlier runs of a resumed study finished.
std::string final_status(const RunSummary& summary, const RunSummary& earlier = {}) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "unused.h5", 10);
  std::ostringstream out;
  runtime::Progress progress(&out, 1, study.max_trials, study.space);
  progress.count_earlier(earlier);
  progress.finish(summary, 60.0);
  return out.str();
}

TEST(ProgressLine, AnInterruptedTrialIsNotFinished) {
  RunSummary summary;
  summary.trials = 3;  // ended in this run: 2 complete, 1 interrupted by SIGINT
  summary.complete = 2;
  summary.interrupted = 1;
  const std::string line = final_status(summary);
  EXPECT_NE(line.find("[h5tune] 2/10 finished (2 complete, 0 failed, 0 pruned, 1 interrupted), 0 running"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find("2.0 trials/min, ETA 240s"), std::string::npos) << line;
}

TEST(ProgressLine, WithoutInterruptedTrialsTheLineIsAsBefore) {
  RunSummary summary;
  summary.trials = 4;
  summary.complete = 2;
  summary.failed = 1;
  summary.pruned = 1;
  const std::string line = final_status(summary);
  EXPECT_NE(line.find("[h5tune] 4/10 finished (2 complete, 1 failed, 1 pruned), 0 running"), std::string::npos) << line;
}

TEST(ProgressLine, AResumedRunCountsTheTrialsEarlierRunsFinishedButNotInItsRate) {
  RunSummary earlier;  // kept from the log: 4 complete, 1 failed, 1 pruned
  earlier.complete = 4;
  earlier.failed = 1;
  earlier.pruned = 1;
  RunSummary summary;  // this run: 2 complete in a minute, 2 trials of the 10 left
  summary.trials = 2;
  summary.complete = 2;
  const std::string line = final_status(summary, earlier);
  EXPECT_NE(line.find("[h5tune] 8/10 finished (6 complete, 1 failed, 1 pruned), 0 running"), std::string::npos) << line;
  EXPECT_NE(line.find("2.0 trials/min, ETA 60s"), std::string::npos) << line;
}

}  // namespace
}  // namespace h5tune
