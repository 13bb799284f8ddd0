// Population Based Training end to end: `h5tune run` on a PBT study whose command is a small
// shell script that saves and restores a checkpoint, in one process and under mpiexec -n 3;
// the log's lineage, the checkpoint each segment restored, retention and `show --lineage`.
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "e2e/pbt_support.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

constexpr int population = 4;
constexpr int interval = 3;
constexpr int generations = 4;

class PbtCli : public ::testing::TestWithParam<bool> {};

TEST_P(PbtCli, LineageIsATreeAndEachSegmentRestoredItsParentsCheckpoint) {
  TempDir dir;
  const auto script = dir / "segment.sh";
  write_file(script, pbt_segment_script);
  const auto study = write_file(dir / "pbt.toml", pbt_study_text(script, population, interval, generations));
  const bool mpi = GetParam();
  const auto run = mpi ? run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run", study, "--quiet"}, mpi_env)
                       : run_process({cli, "run", study, "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.output;

  LogReader log(dir / "run.h5");
  const auto trials = log.trials();
  // The population finishes at generation 3 within the budget; exploits can skip or repeat
  // generations for a member, so the count is not exactly population * generations.
  ASSERT_LE(trials.size(), static_cast<std::size_t>(population * generations));
  ASSERT_GE(trials.size(), static_cast<std::size_t>(2 * population));
  const auto trials_dir = dir / "run.trials";
  std::vector<int> generation(trials.size(), -1);
  std::vector<std::int64_t> root(trials.size(), -1);
  for (const auto& t : trials) {
    ASSERT_EQ(t.state, TrialState::complete) << "trial " << t.id << ": " << t.message << t.stderr_tail;
    EXPECT_EQ(t.budget, interval);
    const auto id = static_cast<std::size_t>(t.id);
    const auto restored_file = trials_dir / std::to_string(t.id) / "restored_owner";
    if (t.parent < 0) {
      generation[id] = 0;
      root[id] = t.id;
      EXPECT_FALSE(std::filesystem::exists(restored_file)) << "trial " << t.id << " restored without a parent";
    } else {
      ASSERT_LT(t.parent, t.id);
      EXPECT_EQ(trials[static_cast<std::size_t>(t.parent)].state, TrialState::complete);
      generation[id] = generation[static_cast<std::size_t>(t.parent)] + 1;
      root[id] = root[static_cast<std::size_t>(t.parent)];
      // H5TUNE_RESTORE_FROM named the parent's checkpoint, written by the parent.
      EXPECT_EQ(read_file(restored_file), std::to_string(t.parent) + "\n") << "trial " << t.id;
    }
    EXPECT_LT(generation[id], generations);
    // The steps the model trained follow from the lineage: (generation + 1) * interval.
    EXPECT_EQ(find_metric(t.metrics, "steps").value_or(-1), (generation[id] + 1) * interval) << "trial " << t.id;
    EXPECT_TRUE(std::filesystem::exists(trials_dir / std::to_string(t.id) / "stdout.log"))
        << "trial directories are kept";
  }
  // Rooted at the initial population: the first `population` trials, and only they.
  for (std::size_t id = 0; id < trials.size(); ++id) {
    EXPECT_LT(root[id], population) << "trial " << id;
    EXPECT_EQ(trials[id].parent < 0, id < static_cast<std::size_t>(population)) << "trial " << id;
  }

  // Retention: released checkpoints are gone, at most 2P + 1 remain, the best one stays.
  int kept = 0;
  for (const auto& t : trials) kept += std::filesystem::exists(trials_dir / std::to_string(t.id) / "checkpoint");
  EXPECT_LE(kept, 2 * population + 1);
  EXPECT_GE(kept, population);  // every member's final model
  std::int64_t best = 0;
  for (const auto& t : trials)
    if (t.value < trials[static_cast<std::size_t>(best)].value) best = t.id;
  EXPECT_TRUE(std::filesystem::exists(trials_dir / std::to_string(best) / "checkpoint" / "state"));

  // show --lineage: the best trial's chain, root first, with the schedule.
  const auto shown = run_process({cli, "show", (dir / "run.h5").string(), "--lineage"});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find(fmt::format("best trial {} ", best)), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("hyperparameter schedule"), std::string::npos) << shown.output;
  std::vector<std::int64_t> chain;
  for (std::int64_t at = best; at >= 0; at = trials[static_cast<std::size_t>(at)].parent) chain.insert(chain.begin(), at);
  std::vector<std::int64_t> printed;
  const std::regex row(R"(^\s+(\d+)\s+(\d+)\s+complete\s)");
  for (const auto& line : lines(shown.output)) {
    std::smatch m;
    if (std::regex_search(line, m, row)) {
      EXPECT_EQ(std::stoll(m[1]), static_cast<long long>(printed.size())) << "generation column: " << line;
      printed.push_back(std::stoll(m[2]));
    }
  }
  EXPECT_EQ(printed, chain) << shown.output;

  // show --trial of a segment with a parent includes its lineage.
  const auto child = run_process({cli, "show", (dir / "run.h5").string(), "--trial", std::to_string(best)});
  ASSERT_EQ(child.exit_code, 0) << child.output;
  if (chain.size() > 1) {
    EXPECT_NE(child.output.find(fmt::format("lineage of trial {}:", best)), std::string::npos) << child.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Ranks, PbtCli, ::testing::Values(false, true),
                         [](const auto& param_info) { return param_info.param ? std::string("Mpi3") : std::string("OneProcess"); });

}  // namespace
}  // namespace h5tune::test
