// The gp strategy's batch mode (pending.size() + n > max_fantasies): qUCB picks from a
// scored candidate pool, through the Strategy interface.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <set>
#include <sstream>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "strategy/gp/gp_strategy.hpp"
#include "strategy/state_archive.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

using Objective = std::function<double(const std::vector<double>&)>;

TrialRecord trial(std::int64_t id, const std::vector<double>& values, TrialState state, double value) {
  return test::told_trial(id, values, value, state);
}

/// Drives a strategy with a standing set of pending trials: each step tells the oldest
/// `tell` pending trials, then asks for `ask` more, which join the pending set.
class PendingDriver {
 public:
  PendingDriver(Strategy& s, Objective f) : s_(&s), f_(std::move(f)) {}

  std::vector<Suggestion> ask(std::size_t n) {
    std::vector<TrialRecord> pending(pending_.begin(), pending_.end());
    auto batch = s_->ask(n, pending);
    for (const auto& s : batch) pending_.push_back(trial(next_id_++, s.values, TrialState::running, TrialRecord::nan));
    return batch;
  }
  void tell(std::size_t n) {
    for (std::size_t k = 0; k < n && !pending_.empty(); ++k) {
      TrialRecord t = pending_.front();
      pending_.pop_front();
      t.state = TrialState::complete;
      t.value = f_(t.values);
      told_.push_back(t.value);
      s_->tell(t);
    }
  }
  std::vector<Suggestion> step(std::size_t tell_count, std::size_t ask_count) {
    tell(tell_count);
    return ask(ask_count);
  }
  void attach(Strategy& s) { s_ = &s; }
  const std::deque<TrialRecord>& pending() const { return pending_; }
  const std::vector<double>& told() const { return told_; }

 private:
  Strategy* s_;
  Objective f_;
  std::deque<TrialRecord> pending_;
  std::vector<double> told_;
  std::int64_t next_id_ = 0;
};

Space mixed_space() {
  Space s;
  s.add_float("x", -2.0, 3.0)
      .add_float("lr", 1e-5, 1e-1, true)
      .add_int("n", -3, 4)
      .add_choice("act", {"relu", "tanh", "gelu"});
  return s;
}

// Hyperparameter fits (O(fit_points^3) per likelihood) and pool scoring dominate these
// tests' time: smaller settings keep them fast without changing what they check.
Options quick_fits() {
  Options o;
  o.set("fit_points", std::int64_t{64});
  o.set("batch_pool", std::int64_t{512});
  return o;
}

double mixed_objective(const std::vector<double>& v) {
  return std::sin(3.0 * v[0]) + 0.1 * std::log10(v[1]) + 0.05 * (v[2] - 1.0) * (v[2] - 1.0) + 0.2 * v[3];
}

std::vector<std::vector<double>> values_of(const std::vector<Suggestion>& batch) {
  std::vector<std::vector<double>> out;
  for (const auto& s : batch) out.push_back(s.values);
  return out;
}

// ask(64) with 500 pending trials: 64 distinct valid points, none a told or pending point.
void expect_fresh_points(const Space& space, std::size_t told_count, std::size_t pending_count,
                         const Objective& f, std::uint64_t seed) {
  GpStrategy gp(Options{}, space, seed);
  PendingDriver driver(gp, f);
  driver.ask(told_count);
  driver.tell(told_count);
  driver.ask(pending_count);  // itself a batch-mode ask: pending_count > max_fantasies
  std::set<std::vector<double>> used;
  for (const auto& t : driver.pending()) ASSERT_TRUE(used.insert(t.values).second);
  const auto batch = driver.ask(64);
  ASSERT_EQ(batch.size(), 64u);
  for (const auto& s : batch) {
    EXPECT_TRUE(space.contains(s.values));
    EXPECT_TRUE(used.insert(s.values).second) << "a told, pending or repeated point";
  }
}

TEST(GpBatch, ManyPendingGiveDistinctFreshValidPoints) {
  expect_fresh_points(mixed_space(), 40, 500, mixed_objective, 21);
}

TEST(GpBatch, DiscreteSpaceRespectsIntsCategoricalsAndDuplicates) {
  // 41 x 5 = 205 points: 40 told + 100 pending + 64 asked leaves one, so every pick must
  // dodge the told and pending points exactly.
  Space space;
  space.add_int("i", 0, 40).add_choice("c", {"a", "b", "c", "d", "e"});
  const Objective f = [](const std::vector<double>& v) { return (v[0] - 17.0) * (v[0] - 17.0) + 3.0 * v[1]; };
  expect_fresh_points(space, 40, 100, f, 22);
  // Exhausted: asking past the last point still gives valid points (repeats allowed now).
  GpStrategy gp(Options{}, space, 23);
  PendingDriver driver(gp, f);
  driver.ask(50);
  driver.tell(50);
  driver.ask(100);
  std::set<std::vector<double>> used;
  for (const auto& t : driver.pending()) used.insert(t.values);
  const auto more = driver.ask(90);
  ASSERT_EQ(more.size(), 90u);
  for (std::size_t k = 0; k < more.size(); ++k) {
    EXPECT_TRUE(space.contains(more[k].values));
    // The 55 points left first, then repeats.
    if (k < 55) {
      EXPECT_TRUE(used.insert(more[k].values).second) << k;
    }
  }
}

// `steps` steps of "tell 8, ask 8" over a standing pending set of 200.
std::vector<std::vector<double>> run_steps(PendingDriver& driver, int steps) {
  std::vector<std::vector<double>> out;
  for (int k = 0; k < steps; ++k)
    for (auto& v : values_of(driver.step(8, 8))) out.push_back(std::move(v));
  return out;
}

TEST(GpBatch, SameSeedSameSuggestionsAndSaveLoadContinuesExactly) {
  const Space space = mixed_space();
  GpStrategy a(quick_fits(), space, 31), b(quick_fits(), space, 31), c(quick_fits(), space, 32);
  PendingDriver da(a, mixed_objective), db(b, mixed_objective), dc(c, mixed_objective);
  for (PendingDriver* d : {&da, &db, &dc}) {
    d->ask(220);
    d->tell(20);
  }
  const auto sa = run_steps(da, 15), sb = run_steps(db, 15), sc = run_steps(dc, 15);
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);

  std::stringstream checkpoint;
  a.save(checkpoint);
  PendingDriver copy = da;
  const auto expected = run_steps(da, 15);
  GpStrategy resumed(quick_fits(), space, 99);  // another seed: the checkpoint carries it all
  resumed.load(checkpoint);
  copy.attach(resumed);
  EXPECT_EQ(run_steps(copy, 15), expected);
}

// A checkpoint body of the layout before batch mode: the model state only.
template <class Extra>
std::string checkpoint_without_pool(const Space& space, Extra&& extra) {
  std::ostringstream out;
  strategy_state::save(out, "gp", space.size(), [&](auto& ar) {
    const std::string rng = strategy_state::rng_to_text(Rng(5));
    const std::vector<std::uint64_t> shift(space.size(), 12345);
    const std::uint64_t index = 0, fitted_at = 0;
    const std::vector<double> none, theta(static_cast<std::size_t>(gp::PointCodec(space).dims()) + 2, 0.0);
    ar << rng << shift << index << none << none << none << theta << fitted_at;
    extra(ar);
  });
  return out.str();
}

TEST(GpBatch, CheckpointBatchSectionIsOptionalAndVersioned) {
  const Space space = mixed_space();
  GpStrategy gp(Options{}, space, 1);
  std::istringstream old(checkpoint_without_pool(space, [](auto&) {}));
  ASSERT_NO_THROW(gp.load(old));
  PendingDriver driver(gp, mixed_objective);
  driver.ask(100);  // batch mode from the loaded state
  driver.tell(30);
  EXPECT_EQ(driver.ask(70).size(), 70u);

  std::istringstream newer(checkpoint_without_pool(space, [](auto& ar) {
    const std::string tag = "gp-batch";
    const std::uint32_t version = 99;
    ar << tag << version;
  }));
  GpStrategy other(Options{}, space, 1);
  EXPECT_THROW(other.load(newer), InputError);
}

TEST(GpBatch, SmallPendingSetsKeepTheFantasyPath) {
  // Below max_fantasies the batch-mode options change nothing.
  const Space space = mixed_space();
  Options tiny_pool;
  tiny_pool.set("batch_pool", std::int64_t{16});
  tiny_pool.set("batch_model_points", std::int64_t{10});
  GpStrategy a(Options{}, space, 33), b(tiny_pool, space, 33);
  PendingDriver da(a, mixed_objective), db(b, mixed_objective);
  std::vector<std::vector<double>> sa, sb;
  for (int k = 0; k < 25; ++k) {
    for (auto& v : values_of(da.step(2, 2))) sa.push_back(std::move(v));
    for (auto& v : values_of(db.step(2, 2))) sb.push_back(std::move(v));
  }
  EXPECT_EQ(sa, sb);
}

TEST(GpBatch, BeatsRandomSearchOnAQuadraticWithTwoHundredPending) {
  Space space;
  space.add_float("x", -5.0, 5.0).add_float("y", -5.0, 5.0).add_float("z", -5.0, 5.0);
  const Objective f = [](const std::vector<double>& v) {
    return (v[0] - 1.3) * (v[0] - 1.3) + (v[1] + 0.7) * (v[1] + 0.7) + (v[2] - 2.1) * (v[2] - 2.1);
  };
  for (std::uint64_t seed : {41u, 42u, 43u}) {
    GpStrategy gp(quick_fits(), space, seed);
    PendingDriver driver(gp, f);
    driver.ask(200);
    for (int k = 0; k < 40; ++k) driver.step(16, 16);
    const auto& told = driver.told();
    ASSERT_EQ(told.size(), 640u);
    const double gp_best = *std::min_element(told.begin(), told.end());

    Rng rng(seed);
    double random_best = INFINITY;
    for (std::size_t k = 0; k < told.size(); ++k) {
      std::vector<double> u(3);
      for (double& x : u) x = uniform01(rng);
      random_best = std::min(random_best, f(space.from_unit(u)));
    }
    EXPECT_LT(gp_best, 0.1 * random_best) << "seed " << seed << ": gp " << gp_best << ", random " << random_best;
  }
}

}  // namespace
}  // namespace h5tune
