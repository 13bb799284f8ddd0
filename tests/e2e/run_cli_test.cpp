// The h5tune binary on real study files with a real external command.
#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_support.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

TEST(CliRun, OneProcessRunsTheStudyAndPrintsTheBestTrial) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(12, "sobol"));
  const auto run = run_process({cli, "run", study, "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("best trial"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find((dir / "run.h5").string()), std::string::npos) << run.output;

  LogReader log(dir / "run.h5");
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 12u);
  for (const auto& t : trials) {
    EXPECT_EQ(t.state, TrialState::complete) << t.message << t.stderr_tail;
    EXPECT_EQ(t.rank, 1);  // the in-process worker
    EXPECT_EQ(find_metric(t.metrics, "id").value_or(-1), t.id) << "the command saw H5TUNE_TRIAL_ID";
    EXPECT_TRUE(std::filesystem::exists(dir / "run.trials" / std::to_string(t.id) / "stdout.log"));
  }
  EXPECT_EQ(log.reports().size(), 36u);
  EXPECT_EQ(log.header().study_text, read_file(study));
  EXPECT_EQ(log.header().strategy, "sobol");
}

TEST(CliRun, MpiexecRunsTheSameStudyOnWorkerRanks) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(16));
  const auto run = run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run", study, "--quiet"}, mpi_env);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  LogReader log(dir / "run.h5");
  EXPECT_EQ(log.header().mpi_size, 3);
  std::set<int> ranks;
  for (const auto& t : log.trials()) {
    EXPECT_EQ(t.state, TrialState::complete) << t.message;
    ranks.insert(t.rank);
  }
  EXPECT_EQ(log.trial_count(), 16);
  EXPECT_EQ(ranks, (std::set<int>{1, 2}));
}

TEST(CliRun, EnqueuedPointsAreTheFirstTrialsUnderMpiexec) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(10, "gp") + R"(
[[enqueue]]
x = 0.5
n = 3
act = "tanh"

[[enqueue]]
x = -1.25
)");
  const auto run = run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run", study, "--quiet"}, mpi_env);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  LogReader log(dir / "run.h5");
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 10u);
  EXPECT_EQ(trials[0].values, (std::vector<double>{0.5, 3.0, 1.0}));
  EXPECT_EQ(trials[1].values[0], -1.25);
  for (const auto& t : trials) EXPECT_EQ(t.state, TrialState::complete) << t.message;
  EXPECT_EQ(log.header().enqueued, 2);

  const auto show = run_process({cli, "show", (dir / "run.h5").string(), "--top", "10"});
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("enqueued   trials 0..1 (the study's [[enqueue]] points)\n"), std::string::npos) << show.output;
  EXPECT_TRUE(std::regex_search(show.output, std::regex("\n +0  [^\n]*  \\(enqueued\\)\n"))) << show.output;
  EXPECT_TRUE(std::regex_search(show.output, std::regex("\n +2  [^\n]*act=[a-z]+\n"))) << show.output;
  const auto first = run_process({cli, "show", (dir / "run.h5").string(), "--trial", "1"});
  EXPECT_NE(first.output.find("origin     [[enqueue]] point 2 of 2\n"), std::string::npos) << first.output;
  const auto later = run_process({cli, "show", (dir / "run.h5").string(), "--trial", "2"});
  EXPECT_NE(later.output.find("origin     strategy gp\n"), std::string::npos) << later.output;

  const auto html = dir / "run.html";
  ASSERT_EQ(run_process({cli, "report", (dir / "run.h5").string(), "-o", html.string()}).exit_code, 0);
  const std::string page = read_file(html);
  EXPECT_NE(page.find("<th>enqueued</th><td>trials 0..1 (the study"), std::string::npos);
  EXPECT_TRUE(std::regex_search(page, std::regex("<td class=\"num\">[01] \\(enqueued\\)</td>")));
}

TEST(CliRun, ABadEnqueuedPointIsAnErrorAtItsLineAndNoLog) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(10, "gp") + "\n[[enqueue]]\nn = 9\n");
  const auto run = run_process({cli, "run", study, "--quiet"});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("study.toml:22:5: key 'enqueue[1].n': parameter 'n': 9 is outside the range [0, 4]"),
            std::string::npos)
      << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "run.h5"));
}

TEST(CliRun, ShowAndExportDescribeTheLog) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(10));
  ASSERT_EQ(run_process({cli, "run", study, "--quiet"}).exit_code, 0);
  const auto log = (dir / "run.h5").string();

  const auto show = run_process({cli, "show", log});
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("10 complete"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("best 5 trials"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("act="), std::string::npos) << show.output;
  EXPECT_TRUE(std::regex_search(show.output, std::regex("worker utilization [0-9.]+ % \\(1 worker busy in trials\\)")))
      << show.output;
  // One trial in the best decile of ten: each range is that trial's own value.
  std::smatch decile;
  ASSERT_TRUE(std::regex_search(show.output, decile, std::regex("best decile \\(1 of 10 complete trials, loss <= "
                                                               "[^)]+\\):\n  x +\\[([^,]+), ([^\\]]+)\\]\n  n +"
                                                               "\\[([0-9]), ([0-9])\\]\n  act +\\{(relu|tanh)\\}\n")))
      << show.output;
  EXPECT_EQ(decile[1], decile[2]);
  EXPECT_EQ(decile[3], decile[4]);

  const auto csv = run_process({cli, "export", log, "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  const auto rows = lines(csv.output);
  ASSERT_EQ(rows.size(), 11u);
  EXPECT_EQ(rows[0].rfind("id,state,value,seed,rank,host,", 0), 0u) << rows[0];
  for (const char* column : {",x,", ",n,", ",act,", ",loss"}) EXPECT_NE(rows[0].find(column), std::string::npos) << column;

  const auto json_file = dir / "trials.json";
  ASSERT_EQ(run_process({cli, "export", log, "--format", "json", "-o", json_file.string()}).exit_code, 0);
  const auto json = nlohmann::json::parse(read_file(json_file));
  ASSERT_EQ(json.size(), 10u);
  for (const auto& row : json) {
    EXPECT_EQ(row["state"], "complete");
    EXPECT_TRUE(row["act"] == "relu" || row["act"] == "tanh");
    EXPECT_TRUE(row["n"].is_number_integer());
    EXPECT_DOUBLE_EQ(row["value"].get<double>(), row["loss"].get<double>());
  }
}

TEST(CliRun, PandasReadsTheCsvWithoutOptions) {
  if (!std::filesystem::exists("/usr/bin/python3") ||
      run_process({"/usr/bin/python3", "-c", "import pandas"}).exit_code != 0)
    GTEST_SKIP() << "python3-pandas is not installed";
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(6));
  ASSERT_EQ(run_process({cli, "run", study, "--quiet"}).exit_code, 0);
  const auto csv = (dir / "trials.csv").string();
  ASSERT_EQ(run_process({cli, "export", (dir / "run.h5").string(), "-o", csv}).exit_code, 0);
  const std::string check =
      "import pandas as pd, sys\n"
      "df = pd.read_csv(sys.argv[1])\n"
      "assert len(df) == 6, len(df)\n"
      "assert df['x'].dtype.kind == 'f' and df['n'].dtype.kind == 'i' and df['id'].dtype.kind == 'i'\n"
      "assert df['act'].dtype == object and set(df['act']) <= {'relu', 'tanh'}\n"
      "assert (df['state'] == 'complete').all()\n"
      "assert df['seed'].dtype.kind in 'iu'\n"
      "assert df['loss'].dtype.kind == 'f'\n"
      "print('ok')\n";
  const auto result = run_process({"/usr/bin/python3", "-c", check, csv});
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST(CliRun, FailingTrialsBecomeFailedRowsAndTheStudyGoesOn) {
  TempDir dir;
  std::string text = study_text(8);
  const std::string script = write_file(dir / "flaky.sh",
                                        "#!/bin/sh\n"
                                        "echo \"about to fail on $1\" >&2\n"
                                        "case $2 in 0|1) exit 3;; esac\n"
                                        "echo \"h5tune: loss=$2\"\n");
  const auto at = text.find("command = [");
  const auto end = text.find('\n', at);
  text.replace(at, end - at, "command = [\"sh\", \"" + script + "\", \"{x}\", \"{n}\"]");
  const auto study = write_file(dir / "study.toml", text);
  const auto run = run_process({cli, "run", study, "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  LogReader log(dir / "run.h5");
  int failed = 0;
  for (const auto& t : log.trials()) {
    const double n = t.values[1];
    if (n <= 1) {
      ++failed;
      EXPECT_EQ(t.state, TrialState::failed);
      EXPECT_NE(t.message.find("exit code 3"), std::string::npos) << t.message;
      EXPECT_NE(t.stderr_tail.find("about to fail"), std::string::npos) << t.stderr_tail;
    } else {
      EXPECT_EQ(t.state, TrialState::complete) << t.message;
    }
  }
  EXPECT_EQ(log.trial_count(), 8);
  EXPECT_GT(failed, 0) << "the seed should draw some n <= 1";
}

}  // namespace
}  // namespace h5tune::test
