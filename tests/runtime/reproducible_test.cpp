// Reproducible mode: trial k is suggested from the results of trials 0..k-W exactly, told
// in id order, whatever the trial durations.
#include <chrono>
#include <random>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "h5tune/log.hpp"
#include "h5tune/objective.hpp"
#include "runtime/inprocess_transport.hpp"
#include "runtime/manager.hpp"
#include "runtime/session.hpp"
#include "support/study_builder.hpp"
#include "support/temp_dir.hpp"

namespace h5tune {
namespace {

// An adaptive strategy whose next point depends on everything it was told and on the
// pending trials, and which records what it saw at each ask.
class HistoryStrategy final : public Strategy {
 public:
  std::string_view kind() const noexcept override { return "history"; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override {
    std::vector<Suggestion> out;
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::int64_t> pending_ids;
      for (const auto& p : pending) pending_ids.push_back(p.id);
      asks.push_back({told, pending_ids});
      double h = 0.0;
      for (std::size_t j = 0; j < told_values.size(); ++j) h = std::fmod(h * 1.618 + told_values[j], 1.0);
      for (const auto& p : pending) h = std::fmod(h + 0.1 * p.values[0], 1.0);
      Suggestion s;
      s.values = {-5.0 + 10.0 * std::fabs(h), 1e-2, 2.0, 1.0};
      out.push_back(s);
    }
    return out;
  }
  void tell(const TrialRecord& trial) override {
    told.push_back(trial.id);
    told_values.push_back(trial.value);
  }
  void save(std::ostream&) const override {}
  void load(std::istream&) override {}

  std::vector<std::int64_t> told;
  std::vector<double> told_values;
  std::vector<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>> asks;
};

struct RunRecord {
  std::vector<std::vector<double>> values;
  HistoryStrategy strategy;
};

void run_once(const StudyConfig& study, int workers, unsigned timing_seed, RunRecord& out) {
  runtime::InProcessHub hub(workers + 1);
  std::mt19937 timing(timing_seed);
  std::mutex timing_mutex;
  CallableObjective objective([&](const Trial& trial, Reporter&) -> Metrics {
    int sleep_us = 0;
    {
      std::lock_guard lock(timing_mutex);
      sleep_us = static_cast<int>(timing() % 3000);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(sleep_us));
    return {{"loss", std::sin(trial.number("x"))}};
  });
  std::vector<std::thread> threads;
  for (int rank = 1; rank <= workers; ++rank)
    threads.emplace_back([&, rank] {
      auto t = hub.endpoint(rank);
      runtime::run_worker(study, *t, objective);
    });
  auto transport = hub.endpoint(0);
  LogWriter log(study.log, runtime::make_log_header(study, {"host"}), true);
  RunOptions options;
  options.verbosity = 0;
  runtime::Manager manager(study, *transport, log, out.strategy, options);
  try {
    manager.run();
  } catch (...) {
    for (auto& t : threads) t.detach();
    throw;
  }
  log.close();
  for (auto& t : threads) t.join();
  LogReader reader(study.log);
  for (const auto& t : reader.trials()) out.values.push_back(t.values);
}

TEST(Reproducible, SameTrialsWhateverTheTiming) {
  test::TempDir dir;
  auto study = test::small_study(dir / "r.h5", 40);
  study.reproducible = true;
  constexpr int workers = 3;
  RunRecord first;
  RunRecord second;
  run_once(study, workers, 1, first);
  run_once(study, workers, 99, second);
  ASSERT_EQ(first.values.size(), 40u);
  EXPECT_EQ(first.values, second.values);
  // Trial k saw exactly trials 0..k-W told in order and k-W+1..k-1 pending.
  ASSERT_EQ(first.strategy.asks.size(), 40u);
  for (std::int64_t k = 0; k < 40; ++k) {
    const auto& [told, pending] = first.strategy.asks[static_cast<std::size_t>(k)];
    std::vector<std::int64_t> expected_told;
    for (std::int64_t id = 0; id <= k - workers; ++id) expected_told.push_back(id);
    std::vector<std::int64_t> expected_pending;
    for (std::int64_t id = std::max<std::int64_t>(0, k - workers + 1); id < k; ++id) expected_pending.push_back(id);
    EXPECT_EQ(told, expected_told) << "trial " << k;
    EXPECT_EQ(pending, expected_pending) << "trial " << k;
  }
  EXPECT_EQ(first.strategy.told.size(), 40u);
}

}  // namespace
}  // namespace h5tune
