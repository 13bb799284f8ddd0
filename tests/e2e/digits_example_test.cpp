// The digits example (examples/digits): its training program h5tune-digits on its own, its
// checkpoint contract for population-based training, and a small study of it under h5tune run.
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "h5tune/log.hpp"
#include "h5tune/metric_line.hpp"

namespace h5tune::test {
namespace {

#ifdef H5TUNE_DIGITS
const std::string digits_program = H5TUNE_DIGITS;

/// The protocol lines of a run: reports by step, and the final metrics.
struct Protocol {
  std::map<std::int64_t, Metrics> reports;
  Metrics final_metrics;
};

Protocol protocol_of(const std::string& output) {
  Protocol p;
  for (const auto& line : lines(output))
    if (auto parsed = parse_metric_line(line)) {
      if (parsed->step)
        p.reports[*parsed->step] = parsed->metrics;
      else
        p.final_metrics = parsed->metrics;
    }
  return p;
}

// Hyperparameters the example's README calls good.
const std::vector<std::string> good = {"--lr", "0.1", "--momentum", "0.9", "--hidden", "64", "--batch", "32"};

std::vector<std::string> digits_command(std::vector<std::string> extra) {
  std::vector<std::string> argv{digits_program};
  argv.insert(argv.end(), good.begin(), good.end());
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

TEST(DigitsExample, TrainsToHighValidationAccuracyInFiveEpochs) {
  const auto run = run_process(digits_command({"--epochs", "5", "--seed", "3"}));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto p = protocol_of(run.output);
  ASSERT_EQ(p.reports.size(), 5u) << run.output;
  EXPECT_EQ(p.reports.begin()->first, 1);
  EXPECT_EQ(p.reports.rbegin()->first, 5);
  for (const auto& [step, metrics] : p.reports) {
    EXPECT_TRUE(find_metric(metrics, "val_loss").has_value()) << "step " << step;
    EXPECT_TRUE(find_metric(metrics, "val_acc").has_value()) << "step " << step;
  }
  const auto accuracy = find_metric(p.final_metrics, "val_acc");
  ASSERT_TRUE(accuracy.has_value()) << run.output;
  EXPECT_GT(*accuracy, 0.85) << run.output;
  EXPECT_LT(find_metric(p.final_metrics, "val_loss").value_or(99.0), 0.5) << run.output;
  // Final metrics are those of the last epoch.
  EXPECT_EQ(find_metric(p.final_metrics, "val_acc"), find_metric(p.reports.at(5), "val_acc"));
}

TEST(DigitsExample, SameSeedSameRunAndBudgetFromTheEnvironment) {
  const auto a = run_process(digits_command({}), "H5TUNE_BUDGET=2 H5TUNE_SEED=17 ");
  const auto b = run_process(digits_command({"--epochs", "2", "--seed", "17"}));
  ASSERT_EQ(a.exit_code, 0) << a.output;
  ASSERT_EQ(b.exit_code, 0) << b.output;
  const auto pa = protocol_of(a.output);
  EXPECT_EQ(pa.reports.size(), 2u) << a.output;
  EXPECT_EQ(pa.final_metrics, protocol_of(b.output).final_metrics);
  const auto other_seed = run_process(digits_command({"--epochs", "2", "--seed", "18"}));
  EXPECT_NE(pa.final_metrics, protocol_of(other_seed.output).final_metrics);
}

TEST(DigitsExample, CheckpointsAndRestoresForPopulationBasedTraining) {
  TempDir dir;
  const auto first_dir = dir / "member0";
  const auto first = run_process(digits_command({"--epochs", "2", "--seed", "1"}),
                                 "H5TUNE_CHECKPOINT_DIR=" + shell_quote(first_dir.string()) + " ");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  ASSERT_TRUE(std::filesystem::exists(first_dir / "digits.ckpt"));

  // The next segment restores it with a perturbed learning rate: its steps continue at 3.
  const auto next_dir = dir / "member0-next";
  const auto next = run_process({digits_program, "--lr", "0.05", "--momentum", "0.9", "--hidden", "64", "--epochs",
                                 "2", "--seed", "2"},
                                "H5TUNE_RESTORE_FROM=" + shell_quote(first_dir.string()) +
                                    " H5TUNE_CHECKPOINT_DIR=" + shell_quote(next_dir.string()) + " ");
  ASSERT_EQ(next.exit_code, 0) << next.output;
  const auto p = protocol_of(next.output);
  ASSERT_EQ(p.reports.size(), 2u) << next.output;
  EXPECT_EQ(p.reports.begin()->first, 3);
  EXPECT_EQ(p.reports.rbegin()->first, 4);
  // Restored weights start from a trained model: the first continued epoch is already good.
  EXPECT_GT(find_metric(p.reports.at(3), "val_acc").value_or(0.0), 0.85) << next.output;
  EXPECT_TRUE(std::filesystem::exists(next_dir / "digits.ckpt"));

  // A different architecture cannot use the checkpoint: the trial fails with the reason.
  const auto mismatch = run_process({digits_program, "--hidden", "16", "--epochs", "1"},
                                    "H5TUNE_RESTORE_FROM=" + shell_quote(first_dir.string()) + " ");
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_NE(mismatch.output.find("--hidden 64"), std::string::npos) << mismatch.output;
}

// Successive halving resumes a configuration rung after rung: training saved after 2 epochs
// and resumed for 2 more (under another trial seed) is the same model as 4 epochs straight.
TEST(DigitsExample, ResumedTrainingIsBitIdenticalToTrainingStraight) {
  TempDir dir;
  const auto straight = run_process(digits_command({"--epochs", "4", "--seed", "7"}),
                                    "H5TUNE_CHECKPOINT_DIR=" + shell_quote((dir / "straight").string()) + " ");
  ASSERT_EQ(straight.exit_code, 0) << straight.output;
  ASSERT_EQ(run_process(digits_command({"--epochs", "2", "--seed", "7"}),
                        "H5TUNE_CHECKPOINT_DIR=" + shell_quote((dir / "half").string()) + " ")
                .exit_code,
            0);
  const auto resumed = run_process(digits_command({"--epochs", "2", "--seed", "8"}),
                                   "H5TUNE_RESTORE_FROM=" + shell_quote((dir / "half").string()) +
                                       " H5TUNE_CHECKPOINT_DIR=" + shell_quote((dir / "resumed").string()) + " ");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const auto a = protocol_of(straight.output);
  const auto b = protocol_of(resumed.output);
  EXPECT_EQ(find_metric(a.reports.at(4), "val_loss"), find_metric(b.reports.at(4), "val_loss"));
  EXPECT_EQ(find_metric(a.final_metrics, "val_loss"), find_metric(b.final_metrics, "val_loss"));
  EXPECT_EQ(read_file(dir / "straight" / "digits.ckpt"), read_file(dir / "resumed" / "digits.ckpt"));
}

TEST(DigitsExample, SmallRandomStudyRunsEveryTrialAndLogsEachEpoch) {
  TempDir dir;
  const auto study = write_file(dir / "digits.toml", fmt::format(R"([study]
name = "digits-e2e"
direction = "minimize"
metric = "val_loss"
seed = 5
max_trials = 8
log = "digits.h5"

[strategy]
kind = "random"

[objective]
command = ["{}", "--lr", "{{lr}}", "--momentum", "{{momentum}}", "--hidden", "{{hidden}}",
           "--activation", "{{activation}}", "--epochs", "3"]
timeout = "60s"

[space]
lr         = {{ float = [0.05, 0.3], log = true }}
momentum   = {{ float = [0.5, 0.9] }}
hidden     = {{ choice = [0, 32] }}
activation = {{ choice = ["relu", "tanh"] }}
)",
                                                                 digits_program));
  const auto run = run_process({cli, "run", study, "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.output;

  LogReader log(dir / "digits.h5");
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 8u);
  for (const auto& t : trials) {
    EXPECT_EQ(t.state, TrialState::complete) << t.message << t.stderr_tail;
    // Every corner of this space learns (worst, lr 0.05 and momentum 0.5: about 0.9).
    EXPECT_GT(find_metric(t.metrics, "val_acc").value_or(0.0), 0.5) << "trial " << t.id;
  }
  std::map<std::int64_t, std::set<std::int64_t>> steps_by_trial;
  for (const auto& r : log.reports()) {
    steps_by_trial[r.trial].insert(r.step);
    EXPECT_TRUE(find_metric(r.metrics, "val_loss").has_value());
    EXPECT_TRUE(find_metric(r.metrics, "val_acc").has_value());
  }
  ASSERT_EQ(steps_by_trial.size(), 8u);
  for (const auto& [trial, steps] : steps_by_trial) EXPECT_EQ(steps, (std::set<std::int64_t>{1, 2, 3})) << trial;
}
#endif  // H5TUNE_DIGITS

}  // namespace
}  // namespace h5tune::test
