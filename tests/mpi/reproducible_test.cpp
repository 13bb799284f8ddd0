// Reproducible mode over real MPI ranks: with trial durations drawn at random (not from the
// trial seed), two runs of the same study produce the same trials, for adaptive strategies.
#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "h5tune/log.hpp"
#include "h5tune/objective.hpp"
#include "h5tune/runtime.hpp"
#include "mpi/shared_dir.hpp"
#include "support/study_builder.hpp"

namespace h5tune {
namespace {

class ReproducibleMpi : public ::testing::TestWithParam<const char*> {};

std::vector<std::vector<double>> run_and_read(const StudyConfig& study, unsigned timing_seed) {
  std::mt19937 timing(timing_seed + 977u * static_cast<unsigned>(test::world_rank()));
  CallableObjective objective([&](const Trial& trial, Reporter&) -> Metrics {
    std::this_thread::sleep_for(std::chrono::microseconds(timing() % 4000));
    const double x = trial.number("x");
    return {{"loss", (x - 1.3) * (x - 1.3) + 0.1 * trial.number("layers") + std::log(trial.number("lr"))}};
  });
  RunOptions options;
  options.verbosity = 0;
  options.overwrite = true;
  run_study(study, objective, options);
  MPI_Barrier(MPI_COMM_WORLD);
  std::vector<std::vector<double>> values;
  if (test::world_rank() == 0)
    for (const auto& t : LogReader(study.log).trials()) values.push_back(t.values);
  return values;
}

TEST_P(ReproducibleMpi, SameTrialsWhateverTheDurations) {
  test::SharedDir dir;
  auto study = test::small_study(dir / "repro.h5", 24, GetParam());
  study.reproducible = true;
  const auto first = run_and_read(study, 1);
  const auto second = run_and_read(study, 2);
  if (test::world_rank() != 0) return;
  ASSERT_EQ(first.size(), 24u);
  EXPECT_EQ(first, second);
}

INSTANTIATE_TEST_SUITE_P(Strategies, ReproducibleMpi, ::testing::Values("random", "tpe", "gp", "evolution", "cmaes", "pbt"),
                         [](const auto& param_info) { return std::string(param_info.param); });

}  // namespace
}  // namespace h5tune
