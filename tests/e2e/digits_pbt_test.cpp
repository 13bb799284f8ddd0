// The example PBT study (examples/digits/digits_pbt.toml) as shipped, under mpiexec -n 3
// with the real h5tune-digits: every segment restored its parent's checkpoint, at the epoch
// the lineage says, and its learning curve continues from there.
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

#ifdef H5TUNE_DIGITS
TEST(DigitsPbtExample, SegmentsRestoreTheirParentsCheckpointAtTheLineagesEpoch) {
  TempDir dir;
  std::filesystem::copy_file(std::filesystem::path(H5TUNE_SOURCE_DIR) / "examples/digits/digits_pbt.toml",
                             dir / "digits_pbt.toml");
  const std::string path = "PATH=" + shell_quote(std::filesystem::path(H5TUNE_DIGITS).parent_path().string()) + ":\"$PATH\" ";
  const auto run = run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run",
                                (dir / "digits_pbt.toml").string(), "--quiet"},
                               mpi_env + path);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  LogReader log(dir / "digits_pbt.h5");
  const auto trials = log.trials();
  ASSERT_GE(trials.size(), 48u);
  std::map<std::int64_t, std::set<std::int64_t>> steps;
  for (const auto& r : log.reports()) steps[r.trial].insert(r.step);
  std::vector<std::int64_t> generation(trials.size(), 0);
  for (const auto& t : trials) {
    ASSERT_EQ(t.state, TrialState::complete) << "trial " << t.id << ": " << t.message << t.stderr_tail;
    ASSERT_EQ(t.budget, 2);
    const auto id = static_cast<std::size_t>(t.id);
    if (t.parent >= 0) generation[id] = generation[static_cast<std::size_t>(t.parent)] + 1;
    const std::int64_t epochs_before = generation[id] * 2;
    // The program's reports continue from the restored epoch: 2 more epochs.
    EXPECT_EQ(steps[t.id], (std::set<std::int64_t>{epochs_before + 1, epochs_before + 2})) << "trial " << t.id;
    if (t.parent < 0) continue;
    const auto stderr_log = read_file(dir / "digits_pbt.trials" / std::to_string(t.id) / "stderr.log");
    const auto parent_checkpoint =
        std::filesystem::absolute(dir / "digits_pbt.trials" / std::to_string(t.parent) / "checkpoint");
    EXPECT_NE(stderr_log.find(fmt::format("restored epoch {} from {}", epochs_before, parent_checkpoint.string())),
              std::string::npos)
        << "trial " << t.id << " (parent " << t.parent << "): " << stderr_log;
  }
}
#endif  // H5TUNE_DIGITS

}  // namespace
}  // namespace h5tune::test
