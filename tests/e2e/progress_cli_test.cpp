// What `h5tune run` prints while it runs: a live status line on a terminal (at most 5
// redraws a second), a plain line every 10 s without one (Slurm output files), nothing but
// the final summary with --quiet, and a line per finished trial with --verbose.
#include <algorithm>
#include <regex>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "e2e/timed_output.hpp"

namespace h5tune::test {
namespace {

// study_text's quadratic, except that x below -2 makes the command fail, and the median
// rule prunes: the status line has every count to show.
std::string study_with_failures_and_pruning(const TempDir& dir, int max_trials, double pause) {
  const auto wrapper = write_file(dir / "objective.sh", fmt::format(R"(#!/bin/sh
case "$1" in -[234]*) echo "x too small" >&2; exit 1;; esac
exec sh '{}' "$@"
)",
                                                                    objective_script));
  std::string text = study_text(max_trials, "random", pause);
  text.replace(text.find(objective_script), objective_script.size(), wrapper);
  text += "\n[stopping]\nkind = \"median\"\nwarmup_trials = 2\n";
  return write_file(dir / "study.toml", text);
}

struct Status {
  std::size_t offset;  ///< where it starts in the output
  int finished, max_trials, complete, failed, pruned, running;
  std::string best;  ///< "-" or "<value> (trial <id>)"
  double per_minute;
  std::string eta;  ///< "-" or "<seconds>s"
};

std::vector<Status> statuses(const std::string& output) {
  static const std::regex line(
      R"(\[h5tune\] (\d+)/(\d+) finished \((\d+) complete, (\d+) failed, (\d+) pruned\), (\d+) running, best (-|\S+ \(trial \d+\)), ([0-9.]+) trials/min, ETA (-|\d+s))");
  std::vector<Status> out;
  for (auto it = std::sregex_iterator(output.begin(), output.end(), line); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    out.push_back({static_cast<std::size_t>(m.position(0)), std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]),
                   std::stoi(m[4]), std::stoi(m[5]), std::stoi(m[6]), m[7], std::stod(m[8]), m[9]});
  }
  return out;
}

// The last line of the final summary: "study 'e2e': 12 trials in ... (9 complete, 2 failed, 1 pruned, ...".
std::smatch summary_counts(const std::string& output) {
  static const std::regex summary(R"(study 'e2e': (\d+) trials in [0-9.]+ s \((\d+) complete, (\d+) failed, (\d+) pruned)");
  std::smatch m;
  EXPECT_TRUE(std::regex_search(output, m, summary)) << output;
  return m;
}

TEST(Progress, OnATerminalOneStatusLineIsRedrawnAtMostFiveTimesASecond) {
  TempDir dir;
  const int trials = 16;
  const auto study = study_with_failures_and_pruning(dir, trials, 0.25);
  const TimedRun run = run_timed({cli, "run", study}, true);
  const std::string out = run.text();
  ASSERT_EQ(run.exit_code, 0) << out;
  const auto lines = statuses(out);
  ASSERT_GE(lines.size(), 2u) << out;

  for (const auto& s : lines) {
    ASSERT_GT(s.offset, 0u);
    EXPECT_EQ(out[s.offset - 1], '\r') << "each redraw returns to the start of the line";
    EXPECT_EQ(out.compare(s.offset + out.substr(s.offset).find('\x1b'), 3, "\x1b[K"), 0)
        << "and clears what a longer line left";
    EXPECT_EQ(s.max_trials, trials);
    EXPECT_EQ(s.finished, s.complete + s.failed + s.pruned);
    EXPECT_LE(s.running, 1);
  }
  // Redrawn while it runs, not only at the end, and not more often than 5 times a second.
  const auto midway = std::count_if(lines.begin(), lines.end(), [&](const Status& s) { return s.finished > 0 && s.finished < trials; });
  EXPECT_GE(midway, 3) << out;
  EXPECT_LE(static_cast<double>(lines.size()), run.seconds / 0.2 + 2) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4) << "one line for the status, three for the summary:\n" << out;

  // Mid-run, the ETA is the time that was really left, give or take what the rate's
  // noise does to it.
  for (const auto& s : lines) {
    if (s.finished < 4 || s.finished == trials || s.eta == "-") continue;
    const double eta = std::stod(s.eta);
    const double left = run.seconds - run.arrival(s.offset);
    EXPECT_LT(eta, 3 * left + 2) << out;
    EXPECT_GT(eta, left / 3 - 2) << out;
    EXPECT_GT(s.per_minute, 0);
  }

  // The last redraw is the final state, and agrees with the summary and the log.
  const Status& last = lines.back();
  const auto summary = summary_counts(out);
  EXPECT_EQ(last.finished, trials);
  EXPECT_EQ(last.running, 0);
  EXPECT_EQ(last.eta, "0s");
  EXPECT_EQ(std::to_string(last.complete), summary[2].str());
  EXPECT_EQ(std::to_string(last.failed), summary[3].str());
  EXPECT_EQ(std::to_string(last.pruned), summary[4].str());
  EXPECT_GT(last.failed, 0) << "the study is meant to show failures";
  EXPECT_GT(last.pruned, 0) << "the study is meant to show pruning";
  std::smatch best;
  ASSERT_TRUE(std::regex_search(out, best, std::regex(R"(best trial (\d+): loss = (\S+) with)"))) << out;
  EXPECT_NE(last.best.find(fmt::format("(trial {})", best[1].str())), std::string::npos) << last.best;
  EXPECT_NEAR(std::stod(last.best), std::stod(best[2]), 1e-5 * (1 + std::abs(std::stod(best[2]))));
}

TEST(Progress, WithoutATerminalAPlainLineEveryTenSeconds) {
  TempDir dir;
  const int trials = 30;  // 30 × 0.4 s: a run of about 12 s
  const auto study = write_file(dir / "study.toml", study_text(trials, "random", 0.4));
  const TimedRun run = run_timed({cli, "run", study}, false);
  const std::string out = run.text();
  ASSERT_EQ(run.exit_code, 0) << out;
  ASSERT_GT(run.seconds, 10.5) << "the run must be long enough for a second line";
  EXPECT_EQ(out.find('\r'), std::string::npos) << "no redraws in a file";
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << "no terminal escapes in a file";

  const auto lines = statuses(out);
  ASSERT_GE(lines.size(), 3u) << "one at the start, one 10 s later, one at the end:\n" << out;
  EXPECT_LE(static_cast<double>(lines.size()), run.seconds / 10 + 2) << out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_TRUE(lines[i].offset == 0 || out[lines[i].offset - 1] == '\n') << "a line of its own";
    if (i + 2 < lines.size()) {  // the last line comes when the run ends, not on the clock
      EXPECT_GE(run.arrival(lines[i + 1].offset) - run.arrival(lines[i].offset), 9.5) << out;
    }
  }
  EXPECT_GT(lines[1].finished, 0);
  EXPECT_LT(lines[1].finished, trials);
  EXPECT_EQ(lines.back().finished, trials);
}

TEST(Progress, QuietPrintsOnlyTheFinalSummaryEvenOnATerminal) {
  TempDir dir;
  const auto study = study_with_failures_and_pruning(dir, 8, 0.2);
  for (const std::string flag : {"-q", "--quiet"}) {
    const TimedRun run = run_timed({cli, "run", study, "--force", flag}, true);
    const std::string out = run.text();
    ASSERT_EQ(run.exit_code, 0) << out;
    EXPECT_TRUE(statuses(out).empty()) << out;
    EXPECT_EQ(out.find("[h5tune]"), std::string::npos) << out;
    EXPECT_EQ(out.find("\rtrial "), std::string::npos) << out;
    const auto summary = lines(out);
    ASSERT_EQ(summary.size(), 3u) << out;
    EXPECT_EQ(summary[0].rfind("study 'e2e': 8 trials", 0), 0u) << out;
    EXPECT_EQ(summary[1].rfind("best trial ", 0), 0u) << out;
    EXPECT_EQ(summary[2].rfind("log: ", 0), 0u) << out;
  }
}

TEST(Progress, VerbosePrintsALinePerFinishedTrialBetweenStatusRedraws) {
  TempDir dir;
  const int trials = 10;
  const auto study = study_with_failures_and_pruning(dir, trials, 0.2);
  for (const bool terminal : {true, false}) {
    const TimedRun run = run_timed({cli, "run", study, "--force", "-v"}, terminal);
    std::string out = run.text();
    ASSERT_EQ(run.exit_code, 0) << out;
    out.erase(std::remove(out.begin(), out.end(), '\r'), out.end());  // the pty turns \n into \r\n
    static const std::regex trial_line(R"(^trial (\d+) (complete|failed|pruned) value=\S+ rank=1 \[x=\S+ n=\d act=(relu|tanh)\]( .*)?$)");
    std::set<int> ids;
    std::map<std::string, int> states;
    for (const auto& line : lines(out)) {
      std::smatch m;
      if (!std::regex_search(line, m, trial_line)) continue;
      EXPECT_TRUE(ids.insert(std::stoi(m[1])).second) << "trial " << m[1] << " printed twice";
      ++states[m[2]];
      if (m[2] == "failed") {
        EXPECT_NE(line.find("x too small"), std::string::npos) << "failed lines say why: " << line;
      }
    }
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(trials)) << "a line per trial, each on a line of its own:\n" << out;
    const auto summary = summary_counts(out);
    EXPECT_EQ(std::to_string(states["complete"]), summary[2].str());
    EXPECT_EQ(std::to_string(states["failed"]), summary[3].str());
    EXPECT_EQ(std::to_string(states["pruned"]), summary[4].str());
    EXPECT_FALSE(statuses(out).empty()) << "the status line stays";
  }
}

TEST(Progress, UnderMpiexecRankZeroAloneSpeaksForEveryWorker) {
  TempDir dir;
  const int trials = 12;
  const auto study = write_file(dir / "study.toml", study_text(trials, "random", 0.2));
  const TimedRun run =
      run_timed({"env", "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", H5TUNE_MPIEXEC, "-n", "3",
                 "--oversubscribe", cli, "run", study, "--verbose"},
                false);
  const std::string out = run.text();
  ASSERT_EQ(run.exit_code, 0) << out;
  static const std::regex trial_line(R"(^trial (\d+) complete value=\S+ rank=([12]) )");
  std::set<int> ids, ranks;
  for (const auto& line : lines(out)) {
    std::smatch m;
    if (!std::regex_search(line, m, trial_line)) continue;
    EXPECT_TRUE(ids.insert(std::stoi(m[1])).second) << "trial " << m[1] << " printed twice:\n" << out;
    ranks.insert(std::stoi(m[2]));
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(trials)) << out;
  EXPECT_EQ(ranks, (std::set<int>{1, 2})) << out;
  const auto status = statuses(out);
  ASSERT_FALSE(status.empty()) << out;
  EXPECT_EQ(status.back().finished, trials);
  EXPECT_EQ(status.front().finished, 0) << "the first line comes at the start";
  EXPECT_LE(status.front().running, 2);
}

}  // namespace
}  // namespace h5tune::test
