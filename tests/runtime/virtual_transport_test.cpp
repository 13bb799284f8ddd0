// The simulation's virtual clock (VirtualTransport + SimulatedWorkers) driven by hand with a
// fake compute clock, and whole simulated runs of the real manager (simulate_study).
#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/simulation.hpp"
#include "runtime/codec.hpp"
#include "runtime/virtual_transport.hpp"
#include "support/study_builder.hpp"
#include "support/temp_dir.hpp"

namespace h5tune {
namespace {

using runtime::Envelope;
using runtime::Tag;

constexpr double epoch = 1000.0;

// Rank 0's side of the protocol, by hand: the compute it "did" is whatever the test adds to
// `cpu` between calls.
struct Rig {
  Space space = Space().add_float("x", 0.0, 1.0).add_float("y", 0.0, 1.0);
  runtime::SimulatedWorkers workers;
  double cpu = 0.0;
  runtime::VirtualTransport transport;
  runtime::Encoder encoder;
  runtime::Decoder decoder;
  Envelope envelope;

  Rig(int w, double median, double sigma, double message_seconds)
      : workers(w, space, "loss", Direction::minimize, runtime::DurationModel{median, sigma}),
        transport(workers, [this] { return cpu; }, message_seconds, epoch) {}

  void work(int rank, std::int64_t trial) {
    runtime::WorkMsg msg;
    msg.trial = trial;
    msg.seed = trial_seed(7, trial);
    msg.values = {0.1 * static_cast<double>(trial + 1), 0.5};
    transport.send(rank, Tag::work, encoder.encode(msg));
  }
  runtime::ResultMsg result() {
    runtime::ResultMsg msg;
    decoder.decode(envelope.bytes, msg);
    return msg;
  }
};

TEST(VirtualTransport, AdvancesToEventsAndChargesComputeOnAHandWorkedRun) {
  Rig rig(2, 10.0, 0.0, 0.0);  // every trial lasts exactly 10 s, messages are free
  rig.cpu += 0.5;                // setting up
  ASSERT_TRUE(rig.transport.receive(rig.envelope, 0.25));
  EXPECT_EQ(rig.envelope.tag, Tag::hello);
  EXPECT_EQ(rig.envelope.source, 1);
  EXPECT_DOUBLE_EQ(rig.transport.steady_now(), 0.5);  // the hello (at 0) waited for rank 0
  ASSERT_TRUE(rig.transport.receive(rig.envelope, 0.25));
  EXPECT_EQ(rig.envelope.source, 2);
  EXPECT_FALSE(rig.transport.receive(rig.envelope, 0.0));  // a look does not advance time
  EXPECT_DOUBLE_EQ(rig.transport.steady_now(), 0.5);

  rig.cpu += 1.0;  // asking the strategy
  EXPECT_DOUBLE_EQ(rig.transport.steady_now(), 1.5) << "uncharged compute counts in the manager's clock";
  EXPECT_DOUBLE_EQ(rig.transport.unix_now(), epoch + 1.5);
  rig.work(1, 0);
  rig.work(2, 1);  // both start at 1.5, end at 11.5

  EXPECT_FALSE(rig.transport.receive(rig.envelope, 0.25));  // nothing before 1.75: idle
  EXPECT_DOUBLE_EQ(rig.transport.steady_now(), 1.75);
  ASSERT_TRUE(rig.transport.receive(rig.envelope, -1.0));  // idle until the first result
  EXPECT_DOUBLE_EQ(rig.transport.steady_now(), 11.5);
  EXPECT_EQ(rig.envelope.tag, Tag::result);
  EXPECT_EQ(rig.envelope.source, 1);  // scheduled first, delivered first
  const auto first = rig.result();
  EXPECT_EQ(first.trial, 0);
  EXPECT_EQ(first.state, TrialState::complete);
  EXPECT_DOUBLE_EQ(first.t_started, epoch + 1.5);
  EXPECT_DOUBLE_EQ(first.t_finished, epoch + 11.5);
  ASSERT_EQ(first.metrics.size(), 1u);
  EXPECT_EQ(first.metrics[0].name, "loss");
  const std::vector<double> values{0.1, 0.5};
  EXPECT_DOUBLE_EQ(first.metrics[0].value, runtime::synthetic_objective(rig.space, values, Direction::minimize));

  rig.cpu += 2.0;  // telling: the second result waits for rank 0
  ASSERT_TRUE(rig.transport.receive(rig.envelope, 0.0));
  EXPECT_DOUBLE_EQ(rig.transport.steady_now(), 13.5);
  EXPECT_EQ(rig.result().trial, 1);

  rig.cpu += 0.5;
  rig.transport.send(1, Tag::stop, rig.encoder.encode(runtime::StopMsg{}));
  rig.transport.send(2, Tag::stop, rig.encoder.encode(runtime::StopMsg{}));
  EXPECT_DOUBLE_EQ(rig.transport.makespan(), 14.0);
  EXPECT_DOUBLE_EQ(rig.transport.rank0_busy_seconds(), 4.0);

  // Each worker: waited 1.5 s for its first work, ran 10 s, then idle 2.5 s to the end.
  const auto accounts = rig.workers.accounts(14.0);
  EXPECT_DOUBLE_EQ(accounts.busy_seconds, 20.0);
  EXPECT_DOUBLE_EQ(accounts.waiting_seconds, 3.0);
  EXPECT_DOUBLE_EQ(accounts.drain_seconds, 5.0);

  SimulationReport report;
  report.workers = 2;
  report.makespan_seconds = 14.0;
  report.busy_seconds = accounts.busy_seconds;
  report.waiting_seconds = accounts.waiting_seconds;
  report.drain_seconds = accounts.drain_seconds;
  report.rank0_busy_seconds = rig.transport.rank0_busy_seconds();
  EXPECT_DOUBLE_EQ(report.utilization(), 20.0 / 28.0);
  EXPECT_DOUBLE_EQ(report.waiting_fraction(), 3.0 / 28.0);
  EXPECT_DOUBLE_EQ(report.drain_fraction(), 5.0 / 28.0);
  EXPECT_DOUBLE_EQ(report.utilization_before_drain(), 20.0 / 23.0);
  EXPECT_DOUBLE_EQ(report.rank0_busy_fraction(), 4.0 / 14.0);
}

TEST(VirtualTransport, ChargesTheMessageCostPerMessage) {
  Rig rig(1, 10.0, 0.0, 0.25);
  ASSERT_TRUE(rig.transport.receive(rig.envelope, 1.0));  // hello: 0 + 0.25
  EXPECT_DOUBLE_EQ(rig.transport.steady_now(), 0.25);
  rig.work(1, 0);  // sent at 0.5, ends at 10.5
  ASSERT_TRUE(rig.transport.receive(rig.envelope, -1.0));
  EXPECT_DOUBLE_EQ(rig.transport.steady_now(), 10.75);
  EXPECT_DOUBLE_EQ(rig.result().t_finished, epoch + 10.5);
  EXPECT_DOUBLE_EQ(rig.transport.rank0_busy_seconds(), 0.75);
  EXPECT_EQ(rig.transport.messages(), 3);
}

TEST(VirtualTransport, CancelEndsTheTrialAtOnceAndDropsItsScheduledResult) {
  Rig rig(1, 10.0, 0.0, 0.0);
  ASSERT_TRUE(rig.transport.receive(rig.envelope, 1.0));
  rig.work(1, 0);
  rig.cpu += 3.0;
  rig.transport.send(1, Tag::cancel, rig.encoder.encode(runtime::CancelMsg{0, runtime::CancelReason::pruned}));
  ASSERT_TRUE(rig.transport.receive(rig.envelope, 0.0));
  const auto result = rig.result();
  EXPECT_EQ(result.state, TrialState::pruned);
  EXPECT_TRUE(result.metrics.empty());
  EXPECT_DOUBLE_EQ(result.t_finished - result.t_started, 3.0);
  EXPECT_FALSE(rig.transport.receive(rig.envelope, 100.0)) << "the result at 10 s was dropped";
  EXPECT_DOUBLE_EQ(rig.workers.accounts(103.0).busy_seconds, 3.0);
}

TEST(VirtualTransport, RefusesWorkForABusyWorker) {
  Rig rig(1, 10.0, 0.0, 0.0);
  ASSERT_TRUE(rig.transport.receive(rig.envelope, 1.0));
  rig.work(1, 0);
  EXPECT_THROW(rig.work(1, 1), TransportError);
}

TEST(DurationModel, IsLogNormalWithTheGivenMedianAndSigma) {
  const runtime::DurationModel model{30.0, 0.5};
  std::vector<double> logs;
  for (std::int64_t k = 0; k < 20000; ++k) logs.push_back(std::log(model.draw(trial_seed(3, k))));
  double mean = 0, square = 0;
  for (double v : logs) mean += v;
  mean /= static_cast<double>(logs.size());
  for (double v : logs) square += (v - mean) * (v - mean);
  const double sd = std::sqrt(square / static_cast<double>(logs.size() - 1));
  EXPECT_NEAR(mean, std::log(30.0), 0.02);
  EXPECT_NEAR(sd, 0.5, 0.02);
  EXPECT_EQ(model.draw(42), model.draw(42));
}

// A fake compute clock: each reading is 50 us after the previous one, so rank 0's charged
// compute depends only on the sequence of calls, never on this machine's speed.
std::function<double()> ticking_clock() {
  return [t = 0.0]() mutable { return t += 50e-6; };
}

SimulationOptions small_simulation(const std::filesystem::path& log) {
  SimulationOptions options;
  options.workers = 8;
  options.trials = 80;
  options.duration_median_seconds = 30.0;
  options.duration_sigma = 0.5;
  options.log = log;
  options.compute_clock = ticking_clock();
  return options;
}

TEST(Simulate, RunsTheRealManagerOnVirtualTimeAndAccountsForEveryWorkerSecond) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "unused.h5", 10);
  const auto report = simulate_study(study, small_simulation(dir / "sim.h5"));
  EXPECT_EQ(report.workers, 8);
  EXPECT_EQ(report.trials, 80);
  EXPECT_EQ(report.complete, 80);
  EXPECT_NEAR(report.busy_seconds + report.waiting_seconds + report.drain_seconds, 8 * report.makespan_seconds,
              1e-6 * report.makespan_seconds);
  EXPECT_GT(report.utilization(), 0.5);
  EXPECT_LE(report.utilization(), 1.0);
  EXPECT_GT(report.rank0_busy_seconds, 0.0);
  // 10 trials per worker of ~34 s on average: minutes of virtual time, not of real time.
  EXPECT_GT(report.makespan_seconds, 200.0);
  EXPECT_LT(report.real_seconds, report.makespan_seconds);
  EXPECT_FALSE(std::filesystem::exists(dir / "unused.h5")) << "the study's own log is left alone";

  // The log holds virtual times: each trial lasted its drawn duration, all within the makespan.
  LogReader log(dir / "sim.h5");
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 80u);
  const runtime::DurationModel model{30.0, 0.5};
  double first = INFINITY, last = -INFINITY;
  for (const auto& t : trials) {
    EXPECT_NEAR(t.t_finished - t.t_started, model.draw(trial_seed(study.seed, t.id)), 1e-6) << "trial " << t.id;
    EXPECT_LE(t.t_created, t.t_started);
    first = std::min(first, t.t_created);
    last = std::max(last, t.t_finished);
  }
  EXPECT_LE(last - first, report.makespan_seconds);
  EXPECT_GT(last - first, 0.9 * report.makespan_seconds);
}

TEST(Simulate, AnInstantRankZeroKeepsWorkersBusyUntilTheDrain) {
  test::TempDir dir;
  auto options = small_simulation(dir / "sim.h5");
  options.compute_clock = [] { return 0.0; };
  options.message_seconds = 0.0;
  const auto report = simulate_study(test::small_study(dir / "unused.h5", 10), options);
  EXPECT_EQ(report.trials, 80);
  EXPECT_DOUBLE_EQ(report.waiting_seconds, 0.0);
  EXPECT_DOUBLE_EQ(report.rank0_busy_seconds, 0.0);
  EXPECT_DOUBLE_EQ(report.utilization_before_drain(), 1.0);
}

TEST(Simulate, IsDeterministicForASeedAndChangesWithIt) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "unused.h5", 10, "tpe");
  const auto run = [&](const std::string& name, std::uint64_t seed) {
    auto options = small_simulation(dir / name);
    options.seed = seed;
    const auto report = simulate_study(study, options);
    std::map<std::int64_t, std::vector<double>> rows;
    for (const auto& t : LogReader(dir / name).trials())
      rows[t.id] = {t.values[0], t.values[1], t.value, t.t_started - t.t_created, static_cast<double>(t.rank)};
    return std::pair(report, rows);
  };
  const auto [a, rows_a] = run("a.h5", 5);
  const auto [b, rows_b] = run("b.h5", 5);
  const auto [c, rows_c] = run("c.h5", 6);
  EXPECT_EQ(rows_a, rows_b);
  EXPECT_DOUBLE_EQ(a.makespan_seconds, b.makespan_seconds);
  EXPECT_DOUBLE_EQ(a.waiting_seconds, b.waiting_seconds);
  EXPECT_DOUBLE_EQ(a.rank0_busy_seconds, b.rank0_busy_seconds);
  EXPECT_NE(rows_a, rows_c);
  EXPECT_NE(a.makespan_seconds, c.makespan_seconds);
}

TEST(Simulate, RefusesBadOptions) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "unused.h5", 10);
  auto options = small_simulation(dir / "sim.h5");
  options.workers = 0;
  EXPECT_THROW(simulate_study(study, options), InputError);
  options = small_simulation(dir / "sim.h5");
  options.duration_median_seconds = 0.0;
  EXPECT_THROW(simulate_study(study, options), InputError);
  for (const double sigma : {-1.0, 5.5, std::nan("")}) {
    options = small_simulation(dir / "sim.h5");
    options.duration_sigma = sigma;
    EXPECT_THROW(simulate_study(study, options), InputError) << "sigma " << sigma;
  }
  for (const double median : {2.0 * 365 * 24 * 3600, 1e300, std::nan("")}) {
    options = small_simulation(dir / "sim.h5");
    options.duration_median_seconds = median;
    EXPECT_THROW(simulate_study(study, options), InputError) << "median " << median;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "sim.h5"));
}

// Year-long trials, some of them far longer (sigma 5): rank 0 idles through years of
// virtual time. Waking every 0.25 virtual seconds, as a real run does to look for a
// signal, this would take longer than the universe; the ctest timeout fails it if that
// comes back.
TEST(Simulate, YearLongTrialsFinish) {
  test::TempDir dir;
  auto options = small_simulation(dir / "sim.h5");
  options.trials = 16;
  options.duration_median_seconds = 365.0 * 24 * 3600;
  options.duration_sigma = 5.0;
  const auto report = simulate_study(test::small_study(dir / "unused.h5", 10), options);
  EXPECT_EQ(report.complete, 16);
  EXPECT_TRUE(std::isfinite(report.makespan_seconds));
}

}  // namespace
}  // namespace h5tune
