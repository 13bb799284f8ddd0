// The example Hyperband-with-promotions study (examples/digits/digits_halving.toml) as
// shipped, with the real h5tune-digits, in one process and under mpiexec -n 3: every
// promotion resumed its parent's checkpoint at the rung the parent reached, was chosen
// among the top third of the results at that rung when it was created, and every
// configuration's segments add up to rung steps. Configuration k is random search's
// trial k: the same parameters and seed, so the same model.
#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "h5tune/log.hpp"
#include "h5tune/seed.hpp"

namespace h5tune::test {
namespace {

#ifdef H5TUNE_DIGITS
class DigitsHalvingExample : public ::testing::TestWithParam<int> {};

TEST_P(DigitsHalvingExample, PromotionsResumeTheTopThirdOfARungFromTheirCheckpoints) {
  TempDir dir;
  std::filesystem::copy_file(std::filesystem::path(H5TUNE_SOURCE_DIR) / "examples/digits/digits_halving.toml",
                             dir / "digits_halving.toml");
  const std::string path = "PATH=" + shell_quote(std::filesystem::path(H5TUNE_DIGITS).parent_path().string()) + ":\"$PATH\" ";
  std::vector<std::string> argv{cli, "run", (dir / "digits_halving.toml").string(), "--quiet"};
  if (GetParam() > 1) argv.insert(argv.begin(), {H5TUNE_MPIEXEC, "-n", std::to_string(GetParam()), "--oversubscribe"});
  const auto run = run_process(argv, mpi_env + path);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  LogReader log(dir / "digits_halving.h5");
  const auto trials = log.trials();
  std::map<std::int64_t, std::set<std::int64_t>> steps;
  for (const auto& r : log.reports()) steps[r.trial].insert(r.step);
  std::map<std::int64_t, std::int64_t> reached, first_rung;  // per trial: epochs trained, its bracket's first rung
  std::map<std::int64_t, std::int64_t> config_of;            // per trial: its configuration
  int configurations = 0, promotions = 0, to_the_end = 0;
  for (const auto& t : trials) {
    ASSERT_EQ(t.state, TrialState::complete) << "trial " << t.id << ": " << t.message << t.stderr_tail;
    const std::int64_t before = t.parent >= 0 ? reached.at(t.parent) : 0;
    reached[t.id] = before + t.budget;
    first_rung[t.id] = t.parent >= 0 ? first_rung.at(t.parent) : t.budget;
    std::set<std::int64_t> expected;
    for (std::int64_t s = before + 1; s <= reached[t.id]; ++s) expected.insert(s);
    EXPECT_EQ(steps[t.id], expected) << "trial " << t.id << " continues from epoch " << before;
    // Rungs at 3, 9, 27: a bracket starts at one of them and every segment ends at the next.
    EXPECT_TRUE(reached[t.id] == 3 || reached[t.id] == 9 || reached[t.id] == 27) << "trial " << t.id;
    to_the_end += reached[t.id] == 27;
    const std::int64_t config = t.parent >= 0 ? config_of.at(t.parent) : configurations;
    config_of[t.id] = config;
    EXPECT_EQ(t.seed, trial_seed(1, config)) << "trial " << t.id << " of configuration " << config;
    if (t.parent < 0) {
      ++configurations;
      continue;
    }
    ++promotions;
    const auto& parent = trials.at(static_cast<std::size_t>(t.parent));
    EXPECT_EQ(t.values, parent.values) << "a promotion keeps its configuration";
    EXPECT_EQ(reached[t.id], 3 * before) << "one rung up";
    const auto stderr_log = read_file(dir / "digits_halving.trials" / std::to_string(t.id) / "stderr.log");
    const auto parent_checkpoint =
        std::filesystem::absolute(dir / "digits_halving.trials" / std::to_string(t.parent) / "checkpoint");
    EXPECT_NE(stderr_log.find(fmt::format("restored epoch {} from {}", before, parent_checkpoint.string())),
              std::string::npos)
        << "trial " << t.id << ": " << stderr_log;
    // The strategy ranked the results at the parent's rung (in its bracket) that it had
    // been told when it created this trial. The log has when each finished, not when rank
    // 0 heard of it, so: every result finished 2 s before the creation had been told, and
    // none finished after it. The parent must beat all but fewer than n / 3 of the first
    // kind, n counting every result finished before.
    std::size_t finished_before = 0, surely_better = 0;
    for (const auto& o : trials) {
      if (!reached.count(o.id) || reached.at(o.id) != before || first_rung.at(o.id) != first_rung[t.id]) continue;
      if (o.t_finished > t.t_created) continue;
      ++finished_before;
      if (o.t_finished < t.t_created - 2.0 && o.value < parent.value) ++surely_better;
    }
    EXPECT_GE(finished_before, 3u) << "trial " << t.id << " promoted from a rung of " << finished_before;
    EXPECT_LT(surely_better, finished_before / 3)
        << "trial " << t.parent << " was not in the top third of its rung when trial " << t.id << " was created";
  }
  EXPECT_EQ(configurations, 30);
  EXPECT_GE(promotions, 5);
  EXPECT_GE(to_the_end, 2);
  // Released checkpoints are deleted: one per configuration is left, and the best trial's
  // (kept even when its promotion has finished).
  int checkpoints = 0;
  for (const auto& t : trials) checkpoints += std::filesystem::exists(dir / "digits_halving.trials" / std::to_string(t.id) / "checkpoint");
  EXPECT_LE(checkpoints, configurations + 1);
  EXPECT_GT(checkpoints, 0);
}

// The shipped study run as random search, 3 epochs a trial: its trial k trains the model
// of the halving study's configuration k, whose first segment reports the same losses.
TEST(DigitsHalvingExampleAgainstRandom, ConfigurationKIsRandomSearchsTrialK) {
  TempDir dir;
  const auto shipped = read_file(std::filesystem::path(H5TUNE_SOURCE_DIR) / "examples/digits/digits_halving.toml");
  write_file(dir / "halving.toml", std::regex_replace(shipped, std::regex("configs = 30"), "configs = 6"));
  std::string random = std::regex_replace(shipped, std::regex("kind = \"successive_halving\""), "kind = \"random\"");
  random = std::regex_replace(random, std::regex("\n(min_resource|max_resource|reduction_factor|brackets|configs) =[^\n]*"), "");
  random = std::regex_replace(random, std::regex("digits_halving.h5"), "random.h5");
  random = std::regex_replace(random, std::regex("max_trials = 200"), "max_trials = 6");
  random = std::regex_replace(random, std::regex("\"h5tune-digits\","), "\"h5tune-digits\", \"--epochs\", \"3\",");
  write_file(dir / "random.toml", random);
  const std::string path = "PATH=" + shell_quote(std::filesystem::path(H5TUNE_DIGITS).parent_path().string()) + ":\"$PATH\" ";
  for (const char* study : {"halving.toml", "random.toml"}) {
    const auto run = run_process({cli, "run", (dir / study).string(), "--quiet"}, mpi_env + path);
    ASSERT_EQ(run.exit_code, 0) << study << ": " << run.output;
  }
  const auto losses = [](const LogReader& log, std::int64_t trial) {
    std::vector<double> out;
    for (const auto& r : log.reports())
      if (r.trial == trial && r.step <= 3) out.push_back(find_metric(r.metrics, "val_loss").value_or(-1));
    return out;
  };
  LogReader halving(dir / "digits_halving.h5"), searched(dir / "random.h5");
  const auto random_trials = searched.trials();
  ASSERT_EQ(random_trials.size(), 6u);
  std::int64_t config = 0, compared = 0;
  for (const auto& t : halving.trials()) {
    if (t.parent >= 0) continue;
    const auto& twin = random_trials.at(static_cast<std::size_t>(config++));
    EXPECT_EQ(t.values, twin.values) << "configuration " << config - 1;
    EXPECT_EQ(t.seed, twin.seed) << "configuration " << config - 1;
    if (t.budget != 3) continue;  // a bracket whose first rung is later
    EXPECT_EQ(losses(halving, t.id), losses(searched, twin.id)) << "configuration " << config - 1;
    EXPECT_EQ(losses(halving, t.id).size(), 3u);
    ++compared;
  }
  EXPECT_EQ(config, 6);
  EXPECT_GE(compared, 2);
}

INSTANTIATE_TEST_SUITE_P(Ranks, DigitsHalvingExample, ::testing::Values(1, 3),
                         [](const auto& param_info) { return param_info.param == 1 ? "OneProcess" : "Mpi3"; });
#endif  // H5TUNE_DIGITS

}  // namespace
}  // namespace h5tune::test
