// Cost of one early-stopping decision at rank 0 with `n` trials already in the tables
// (docs/stopping.md). The brief's bound: 10 us per report with 10,000 trials.
//
// asha: n trials have been filed at the first rung; each iteration is a new trial's
// report at that rung (filed, ranked, decided), so the rung grows from n to 2n.
// hyperband: the same through bracket choice, over n prior trials.
// median: n completed trials reported at the step; each iteration is a running trial's
// report there (recorded in its curve, compared with the median).
#include <benchmark/benchmark.h>

#include <cstdint>

#include "h5tune/stopping.hpp"

namespace {

using namespace h5tune;

// Values in [0, 1) from a fixed LCG, so every run measures the same sequence.
class Values {
 public:
  double next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_ = 42;
};

void decide_at_first_rung(benchmark::State& state, StoppingKind kind) {
  StoppingConfig config;
  config.kind = kind;
  config.max_resource = 81;
  const auto rule = make_stopping_rule(config, Direction::minimize);
  const auto n = state.range(0);
  Values values;
  std::int64_t trial = 0;
  // Hyperband's trials at step 9 reach a rung in every bracket but the last.
  const std::int64_t step = kind == StoppingKind::hyperband ? 9 : 1;
  for (; trial < n; ++trial) rule->should_stop(trial, step, values.next());
  std::int64_t stopped = 0;
  for (auto _ : state) stopped += rule->should_stop(trial++, step, values.next());
  benchmark::DoNotOptimize(stopped);
  state.counters["stopped_fraction"] = static_cast<double>(stopped) / static_cast<double>(state.iterations());
}

void BM_AshaDecision(benchmark::State& state) { decide_at_first_rung(state, StoppingKind::asha); }
void BM_HyperbandDecision(benchmark::State& state) { decide_at_first_rung(state, StoppingKind::hyperband); }

void BM_MedianDecision(benchmark::State& state) {
  StoppingConfig config;
  config.kind = StoppingKind::median;
  const auto rule = make_stopping_rule(config, Direction::minimize);
  const auto n = state.range(0);
  Values values;
  TrialRecord done;
  done.state = TrialState::complete;
  for (std::int64_t trial = 0; trial < n; ++trial) {
    rule->should_stop(trial, 10, values.next());
    done.id = trial;
    rule->finished(done);
  }
  std::int64_t trial = n;
  std::int64_t stopped = 0;
  for (auto _ : state) {
    stopped += rule->should_stop(trial, 10, values.next());
    // Keep the set of running curves small, as at a real rank 0.
    done.id = trial++;
    done.state = TrialState::pruned;
    rule->finished(done);
  }
  benchmark::DoNotOptimize(stopped);
}

}  // namespace

BENCHMARK(BM_AshaDecision)->Arg(1000)->Arg(10000)->Arg(100000)->Iterations(10000);
BENCHMARK(BM_HyperbandDecision)->Arg(1000)->Arg(10000)->Arg(100000)->Iterations(10000);
BENCHMARK(BM_MedianDecision)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK_MAIN();
