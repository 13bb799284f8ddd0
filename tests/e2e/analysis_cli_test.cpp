// Issue 6's analysis features on logs written by the real `h5tune run`: parameter
// importance and the contour in the report, `show --live`, `replay --strategy`, and
// show / export / report on edge-case studies.
#include <signal.h>

#include <algorithm>
#include <map>
#include <regex>
#include <vector>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "e2e/log_polling.hpp"
#include "e2e/report_support.hpp"
#include "h5tune/command.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

/// A study of quadratic.sh (which reads x, n and act) with `extra_space` lines added.
std::string study_with(int max_trials, const std::string& strategy, const std::string& extra_space,
                       const std::string& extra_study = "", double pause = 0.0) {
  return study_text(max_trials, strategy, pause, extra_study) + extra_space;
}

/// Importances as the report's bar titles give them: "name: 0.123 (sd ...".
std::map<std::string, double> importances(const std::string& html) {
  std::map<std::string, double> out;
  const std::string svg = plot(html, "importance");
  const std::regex title(R"(<title>([A-Za-z_0-9]+): ([0-9.eE+-]+) \(sd)");
  for (std::sregex_iterator it(svg.begin(), svg.end(), title), end; it != end; ++it)
    out[(*it)[1]] = std::stod((*it)[2]);
  return out;
}

TEST(AnalysisImportance, ReportRanksARealRunsParametersAndFindsTheOneThatDoesNothing) {
  // loss = (x-1)^2 + (n-2)^2 + 0.5 [act = tanh]; `unused` never reaches the command. Over
  // the uniform space: Var((x-1)^2) = 44.1, Var((n-2)^2) = 2.8, Var(act term) = 0.06.
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_with(200, "random", "unused = { float = [0.0, 1.0] }\n"));
  const auto run = run_process({cli, "run", study, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto html_path = dir / "report.html";
  const auto report = run_process({cli, "report", (dir / "run.h5").string(), "-o", html_path.string()});
  ASSERT_EQ(report.exit_code, 0) << report.output;
  const std::string html = read_file(html_path);

  const auto imp = importances(html);
  ASSERT_EQ(imp.size(), 4u) << plot(html, "importance");
  EXPECT_GT(imp.at("x"), 0.8);
  EXPECT_GT(imp.at("n"), imp.at("act"));
  EXPECT_LT(imp.at("unused"), 0.03) << "a parameter that does nothing";
  EXPECT_EQ(count(plot(html, "importance"), "class=\"mark bar"), 4u);

  const std::string contour = plot(html, "contour");
  ASSERT_FALSE(contour.empty());
  EXPECT_NE(contour.find("over x and n"), std::string::npos) << "the two most important parameters";
  EXPECT_EQ(count(contour, "class=\"cell\""), 40u * 5u) << "40 cells for x, one per value of n";
  EXPECT_EQ(count(contour, "class=\"mark point\""), 200u) << "one point per complete trial";
  EXPECT_TRUE(plot(html, "lineage").empty()) << "no trial has a parent";

  // The browser parses both plots into the same marks (the page has no script).
  if (const auto chromium = find_executable("chromium"); !chromium.empty()) {
    const auto dom = run_process({chromium.string(), "--headless", "--no-sandbox", "--disable-gpu",
                                  "--disable-background-networking", "--disable-component-update", "--no-first-run",
                                  "--user-data-dir=" + (dir / "chromium").string(), "--dump-dom",
                                  "file://" + html_path.string()});
    ASSERT_EQ(dom.exit_code, 0) << dom.output;
    EXPECT_EQ(count(plot(dom.output, "importance"), "class=\"mark bar"), 4u);
    EXPECT_EQ(count(plot(dom.output, "contour"), "class=\"cell\""), 200u);
    EXPECT_EQ(count(plot(dom.output, "contour"), "class=\"mark point\""), 200u);
  }

  // Seeded from the study seed: the same log gives the same page.
  const auto again_path = dir / "again.html";
  ASSERT_EQ(run_process({cli, "report", (dir / "run.h5").string(), "-o", again_path.string()}).exit_code, 0);
  EXPECT_EQ(plot(read_file(again_path), "importance"), plot(html, "importance"));
}

TEST(AnalysisLive, ShowLiveFollowsARunningStudyAndExitsWhenItFinishes) {
  TempDir dir;
  // Trial 1 waits until --live has shown the running study; then trial 2 waits until it
  // has shown the change.
  const auto hold = write_file(dir / "hold", "1");
  const auto study = write_file(dir / "study.toml", held_study_text(10, hold));
  BackgroundProcess run({cli, "run", study, "-q"}, (dir / "run.out").string());
  ASSERT_GE(wait_for_finished(dir / "run.h5", 1, 60), 1) << read_file(dir / "run.out");
  // `timeout` turns a --live that never ends into a failure instead of a hung test.
  BackgroundProcess live({"timeout", "120", cli, "show", (dir / "run.h5").string(), "--live", "--interval", "0.2"},
                         (dir / "live.out").string());
  EXPECT_TRUE(wait_for_text(dir / "live.out", "(running) ---", 1, 60)) << read_file(dir / "live.out");
  std::filesystem::rename(write_file(dir / "hold.next", "2"), hold);  // in one step: the objective reads it
  EXPECT_TRUE(wait_for_text(dir / "live.out", "(running) ---", 2, 60))
      << "successive summaries while it ran:\n" << read_file(dir / "live.out");
  std::filesystem::remove(hold);
  EXPECT_EQ(live.wait(), 0) << read_file(dir / "live.out");
  EXPECT_EQ(run.wait(), 0) << read_file(dir / "run.out");
  const std::string output = read_file(dir / "live.out");
  EXPECT_EQ(count(output, "(finished) ---"), 1u) << output;
  const auto last = output.rfind("(finished) ---");
  ASSERT_NE(last, std::string::npos);
  EXPECT_NE(output.find("10 complete", last), std::string::npos) << output.substr(last);
  EXPECT_EQ(output.find("\x1b["), std::string::npos) << "no terminal control codes into a file or pipe";
}

TEST(AnalysisLive, ShowLiveOnAKilledRunStopsOnSigint) {
  // A SIGKILLed run never logs run_stop: --live waits for it until interrupted.
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(1000, "random", 0.05));
  {
    BackgroundProcess run({cli, "run", study, "-q"}, (dir / "run.out").string());
    ASSERT_GE(wait_for_finished(dir / "run.h5", 3, 60), 3) << read_file(dir / "run.out");
    EXPECT_EQ(run.signal_and_wait(SIGKILL), 128 + SIGKILL);
  }
  BackgroundProcess live({cli, "show", (dir / "run.h5").string(), "--live", "--interval", "0.2"}, (dir / "live.out").string());
  ASSERT_TRUE(wait_for_text(dir / "live.out", "(running) ---", 1, 60)) << read_file(dir / "live.out");
  EXPECT_EQ(live.signal_and_wait(SIGINT), 0) << read_file(dir / "live.out");
}

/// Sets field `field` of row `id` of compound dataset `dataset` in a copy of the log (h5py).
void tamper_row(const std::filesystem::path& log, const std::string& dataset, std::int64_t id, const std::string& field,
                const std::string& value) {
  const std::string script = fmt::format(
      "import h5py, sys\n"
      "with h5py.File(sys.argv[1], 'r+') as f:\n"
      "    d = f['{0}']\n"
      "    row = d[{1}]\n"
      "    row['{2}'] = {3}\n"
      "    d[{1}] = row\n",
      dataset, id, field, value);
  const auto result = run_process({"/usr/bin/python3", "-c", script, log.string()});
  ASSERT_EQ(result.exit_code, 0) << result.output;
}

/// Replaces trial `id`'s value of float parameter `param` in a copy of the log.
void tamper(const std::filesystem::path& log, std::int64_t id, const std::string& param, double value) {
  tamper_row(log, "trials/params", id, param, fmt::format("{}", value));
}

class StrategyReplay : public ::testing::TestWithParam<std::string> {};

TEST_P(StrategyReplay, ReDerivesEverySuggestionOfAnMpiRunAndCatchesATamperedOne) {
  // Three ranks: two workers, so the manager asks in batches with trials pending, and trial
  // durations vary (the pause differs per trial through n), so the journal's order is not
  // the id order.
  TempDir dir;
  std::string text = study_text(24, GetParam());
  text = std::regex_replace(text, std::regex(R"("\{act\}", "0")"), R"("{act}", "0.0{n}")");
  const auto study = write_file(dir / "study.toml", text);
  const auto run = run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run", study, "-q"}, mpi_env);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  const auto replay = run_process({cli, "replay", (dir / "run.h5").string(), "--strategy"});
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("24 of 24 suggestions identical"), std::string::npos) << replay.output;

  const auto copy = dir / "tampered.h5";
  std::filesystem::copy_file(dir / "run.h5", copy);
  tamper(copy, 5, "x", 0.123456789);
  const auto caught = run_process({cli, "replay", copy.string(), "--strategy"});
  EXPECT_EQ(caught.exit_code, 4) << caught.output;
  EXPECT_NE(caught.output.find("trial 5 DIFFERS"), std::string::npos) << caught.output;
  EXPECT_NE(caught.output.find("x=0.123456789"), std::string::npos) << caught.output;
}

INSTANTIATE_TEST_SUITE_P(Strategies, StrategyReplay, ::testing::Values("random", "tpe", "gp"));

TEST(AnalysisReplay, ReproducibleModeIsCheckedToo) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(16, "tpe", 0.0, "reproducible = true"));
  const auto run = run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run", study, "-q"}, mpi_env);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto replay = run_process({cli, "replay", (dir / "run.h5").string(), "--strategy"});
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("reproducible mode"), std::string::npos) << replay.output;
  EXPECT_NE(replay.output.find("16 of 16 suggestions identical"), std::string::npos) << replay.output;
}

TEST(AnalysisReplay, NeedsTrialOrStrategy) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(2));
  ASSERT_EQ(run_process({cli, "run", study, "-q"}).exit_code, 0);
  const auto replay = run_process({cli, "replay", (dir / "run.h5").string()});
  EXPECT_EQ(replay.exit_code, 2) << replay.output;
}

/// show, export (csv and json) and report all succeed on a log; returns the report page.
std::string analyse_all(const TempDir& dir) {
  const std::string log = (dir / "run.h5").string();
  const auto show = run_process({cli, "show", log});
  EXPECT_EQ(show.exit_code, 0) << show.output;
  const auto csv = run_process({cli, "export", log, "--format", "csv"});
  EXPECT_EQ(csv.exit_code, 0) << csv.output;
  const auto json = run_process({cli, "export", log, "--format", "json"});
  EXPECT_EQ(json.exit_code, 0) << json.output;
  const auto report = run_process({cli, "report", log, "-o", (dir / "report.html").string()});
  EXPECT_EQ(report.exit_code, 0) << report.output;
  return read_file(dir / "report.html");
}

TEST(AnalysisEdgeCases, RunKilledBeforeAnyTrialFinished) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(5, "random", 30.0));
  {
    BackgroundProcess run({cli, "run", study, "-q"}, (dir / "run.out").string());
    const bool running = wait_for_log(dir / "run.h5", 60, [](const std::vector<TrialRecord>& trials) {
      return std::any_of(trials.begin(), trials.end(), [](const auto& t) { return t.state == TrialState::running; });
    });
    ASSERT_TRUE(running) << read_file(dir / "run.out");
    EXPECT_EQ(run.signal_and_wait(SIGKILL), 128 + SIGKILL);
  }
  const std::string html = analyse_all(dir);
  EXPECT_NE(html.find("no trial completed"), std::string::npos);
  for (const char* name : {"history", "slice-x", "parallel", "curves", "timeline", "importance", "contour"})
    EXPECT_FALSE(plot(html, name).empty()) << name;
  EXPECT_NE(plot(html, "importance").find("no data"), std::string::npos);
  EXPECT_NE(plot(html, "contour").find("no data"), std::string::npos);
  EXPECT_NE(plot(html, "slice-x").find("no data"), std::string::npos);
  EXPECT_NE(plot(html, "parallel").find("no data"), std::string::npos);
}

TEST(AnalysisEdgeCases, EveryTrialFailed) {
  TempDir dir;
  std::string text = study_text(6, "random");
  text = std::regex_replace(text, std::regex(R"(command = \[.*\])"), R"(command = ["false"])");
  const auto study = write_file(dir / "study.toml", text);
  const auto run = run_process({cli, "run", study, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string html = analyse_all(dir);
  EXPECT_NE(html.find("6 failed"), std::string::npos);
  EXPECT_EQ(count(plot(html, "history"), "class=\"mark"), 6u) << "failed trials are crosses";
  EXPECT_NE(plot(html, "importance").find("no data"), std::string::npos);
  EXPECT_NE(plot(html, "curves").find("no trial reported"), std::string::npos);
}

TEST(AnalysisEdgeCases, CategoricalOnlySpace) {
  TempDir dir;
  const std::string text = fmt::format(R"([study]
name = "choices"
direction = "minimize"
metric = "loss"
seed = 3
max_trials = 30
log = "run.h5"
[strategy]
kind = "random"
[objective]
command = ["sh", "-c", "case $0 in a) l=1;; b) l=2;; *) l=3;; esac; echo h5tune: loss=$l", "{{opt}}", "{{unused}}"]
[space]
opt = {{ choice = ["a", "b", "c"] }}
unused = {{ choice = ["p", "q"] }}
)");
  const auto study = write_file(dir / "study.toml", text);
  const auto run = run_process({cli, "run", study, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string html = analyse_all(dir);
  const auto imp = importances(html);
  ASSERT_EQ(imp.size(), 2u);
  EXPECT_GT(imp.at("opt"), 0.9);
  EXPECT_LT(imp.at("unused"), 0.05);
  EXPECT_EQ(count(plot(html, "contour"), "class=\"cell\""), 6u) << "one cell per pair of choices";
  EXPECT_EQ(count(plot(html, "slice-opt"), "class=\"mark"), 30u);
}

TEST(AnalysisEdgeCases, StudyWithPruning) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml",
                                study_text(20, "random", 0.4) + "\n[stopping]\nkind = \"median\"\nwarmup_trials = 3\n");
  const auto run = run_process({cli, "run", study, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  LogReader log(dir / "run.h5");
  std::int64_t pruned = 0;
  for (const auto& t : log.trials()) pruned += t.state == TrialState::pruned ? 1 : 0;
  ASSERT_GT(pruned, 0) << "the median rule stopped some trials";
  const std::string html = analyse_all(dir);
  EXPECT_NE(html.find(fmt::format("{} pruned", pruned)), std::string::npos);
  EXPECT_EQ(count(plot(html, "curves"), "class=\"curve state-pruned"), static_cast<std::size_t>(pruned));
  EXPECT_FALSE(importances(html).empty());
  const auto replay = run_process({cli, "replay", (dir / "run.h5").string(), "--strategy"});
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
}

TEST(AnalysisPbt, ReportDrawsTheLineageAndReplayReDerivesThePopulation) {
  TempDir dir;
  write_file(dir / "segment.sh",
             "#!/bin/sh\nawk -v x=\"$1\" -v lr=\"$2\" 'BEGIN { printf \"h5tune: loss=%.6f\\n\", (x - 1) * (x - 1) + lr }'\n");
  const auto study = write_file(dir / "pbt.toml", R"([study]
name = "pbt"
direction = "minimize"
metric = "loss"
seed = 3
max_trials = 16
log = "run.h5"
[strategy]
kind = "pbt"
population = 4
interval = 3
generations = 4
[objective]
command = ["sh", "{study_dir}/segment.sh", "{x}", "{lr}"]
[space]
x  = { float = [-3.0, 3.0] }
lr = { float = [1e-3, 1.0], log = true }
)");
  const auto run = run_process({cli, "run", study, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::size_t with_parent = 0;
  for (const auto& t : LogReader(dir / "run.h5").trials()) with_parent += t.parent >= 0 ? 1 : 0;
  ASSERT_GT(with_parent, 0u);

  const std::string html = analyse_all(dir);
  const std::string lineage = plot(html, "lineage");
  ASSERT_FALSE(lineage.empty());
  EXPECT_EQ(count(lineage, "class=\"mark\""), 16u) << "one mark per segment";
  EXPECT_EQ(count(lineage, "class=\"link\""), with_parent) << "one link per segment with a parent";
  EXPECT_EQ(count(lineage, "class=\"best\""), 1u) << "the best trial's ancestry";

  const auto replay = run_process({cli, "replay", (dir / "run.h5").string(), "--strategy"});
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("16 of 16 suggestions identical"), std::string::npos) << replay.output;
}

TEST(AnalysisHalving, ReplayReDerivesEverySegmentAndItsConfigurationsSeed) {
  // Segments of one configuration share its seed (random search's for that point): replay
  // re-derives parent, budget and seed, and a trial whose seed was changed differs.
  TempDir dir;
  write_file(dir / "segment.sh", "#!/bin/sh\nawk -v x=\"$1\" 'BEGIN { printf \"h5tune: loss=%.6f\\n\", (x - 1) * (x - 1) }'\n");
  const auto study = write_file(dir / "halving.toml", R"([study]
name = "halving"
direction = "minimize"
metric = "loss"
seed = 4
max_trials = 40
log = "run.h5"
[strategy]
kind = "successive_halving"
min_resource = 1
max_resource = 9
brackets = 0
configs = 12
[objective]
command = ["sh", "{study_dir}/segment.sh", "{x}"]
[space]
x = { float = [-3.0, 3.0] }
)");
  const auto run = run_process({cli, "run", study, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto trials = LogReader(dir / "run.h5").trials();
  std::int64_t promoted = -1;
  for (const auto& t : trials)
    if (t.parent >= 0) {
      EXPECT_EQ(t.seed, trials.at(static_cast<std::size_t>(t.parent)).seed) << "trial " << t.id;
      promoted = t.id;
    }
  ASSERT_GE(promoted, 0);
  const auto replay = run_process({cli, "replay", (dir / "run.h5").string(), "--strategy"});
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find(fmt::format("{0} of {0} suggestions identical", trials.size())), std::string::npos)
      << replay.output;

  const auto copy = dir / "tampered.h5";
  std::filesystem::copy_file(dir / "run.h5", copy);
  tamper_row(copy, "trials/table", promoted, "seed", "12345");
  const auto caught = run_process({cli, "replay", copy.string(), "--strategy"});
  EXPECT_EQ(caught.exit_code, 4) << caught.output;
  EXPECT_NE(caught.output.find(fmt::format("trial {} DIFFERS", promoted)), std::string::npos) << caught.output;
  EXPECT_NE(caught.output.find("seed    logged 12345"), std::string::npos) << caught.output;
}

}  // namespace
}  // namespace h5tune::test
