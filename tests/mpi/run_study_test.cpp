// Whole studies over real MPI ranks: rank 0 manages and logs, the others evaluate.
#include <mpi.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <stdexcept>

#include <gtest/gtest.h>

#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "h5tune/objective.hpp"
#include "h5tune/runtime.hpp"
#include "h5tune/seed.hpp"
#include "mpi/shared_dir.hpp"
#include "support/quiet_options.hpp"
#include "support/study_builder.hpp"
#include "support/temp_dir.hpp"

namespace h5tune {
namespace {

using test::SharedDir;
using test::world_rank;
using test::world_size;

TEST(Mpi, EveryTrialRunsOnceOnAWorkerRankAndIsLogged) {
  SharedDir dir;
  const auto study = test::small_study(dir / "mpi.h5", 40);
  CallableObjective objective([](const Trial& trial, Reporter& reporter) -> Metrics {
    EXPECT_EQ(trial.seed(), trial_seed(1234, trial.id()));
    reporter.report(1, {{"loss", 1.0}});
    return {{"loss", trial.number("x") * trial.number("x")}, {"rank", static_cast<double>(world_rank())}};
  });
  const auto summary = run_study(study, objective, test::quiet_options());
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() != 0) {
    EXPECT_FALSE(summary.manager);
    return;
  }
  EXPECT_EQ(summary.trials, 40);
  EXPECT_EQ(summary.complete, 40);
  LogReader log(study.log);
  EXPECT_EQ(log.header().mpi_size, world_size());
  EXPECT_EQ(log.header().hostnames.size(), static_cast<std::size_t>(world_size()));
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 40u);
  std::set<std::int64_t> ids;
  std::set<int> ranks;
  for (const auto& t : trials) {
    ids.insert(t.id);
    ranks.insert(t.rank);
    EXPECT_EQ(t.state, TrialState::complete);
    EXPECT_GE(t.rank, 1);
    EXPECT_EQ(find_metric(t.metrics, "rank").value_or(-1), t.rank);  // the rank that ran it says so
    EXPECT_GE(t.host, 0);
  }
  EXPECT_EQ(ids.size(), 40u);
  EXPECT_EQ(static_cast<int>(ranks.size()), world_size() - 1) << "every worker rank got work";
  EXPECT_EQ(log.reports().size(), 40u);
}

TEST(Mpi, FailingTrialsAreIsolated) {
  SharedDir dir;
  const auto study = test::small_study(dir / "fail.h5", 30);
  CallableObjective objective([](const Trial& trial, Reporter&) -> Metrics {
    if (trial.id() % 2) throw std::runtime_error("boom");
    return {{"loss", 1.0}};
  });
  const auto summary = run_study(study, objective, test::quiet_options());
  if (world_rank() != 0) return;
  EXPECT_EQ(summary.complete, 15);
  EXPECT_EQ(summary.failed, 15);
  LogReader log(study.log);
  for (const auto& t : log.trials())
    EXPECT_EQ(t.state, t.id % 2 ? TrialState::failed : TrialState::complete) << "trial " << t.id;
}

TEST(Mpi, ExistingLogStopsEveryRankCleanly) {
  SharedDir dir;
  const auto study = test::small_study(dir / "twice.h5", 3);
  CallableObjective objective([](const Trial&, Reporter&) -> Metrics { return {{"loss", 1.0}}; });
  run_study(study, objective, test::quiet_options());
  if (world_rank() == 0) {
    EXPECT_THROW(run_study(study, objective, test::quiet_options()), InputError);
  } else {
    const auto summary = run_study(study, objective, test::quiet_options());
    EXPECT_EQ(summary.trials, 0);
  }
}

}  // namespace
}  // namespace h5tune
