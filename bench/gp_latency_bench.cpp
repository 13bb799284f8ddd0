// Latency of the gp strategy at rank 0 (docs/strategies.md, "gp"): the time an idle rank
// waits for its next suggestion, by number of observations n, in 10 dimensions.
//
// For each n: tell n random observations of a 10-d test function (Ackley), then time
//   first: the first ask(1) + tell, which fits the hyperparameters and factorizes afresh;
//   steady: the mean of the next `steps` ask(1) + tell rounds (growing the factor);
//   amortized: steady + (first - steady) / (0.15 n), since the refit schedule refits when n
//   grows by 15 % (beyond max_exact the local model is refactorized on every ask, which
//   `steady` already contains).
// Then at n = 1000 the time of one ask(64) (filling 64 idle ranks at once).
// A timed program rather than Google Benchmark: a case costs seconds to set up and its first
// iteration is deliberately different from the others.
//
// Usage: gp_latency_bench [steps=20] [n ...]   (default n: 100 500 1000 2000 5000)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"

namespace {

using namespace h5tune;
using Clock = std::chrono::steady_clock;

constexpr int dims = 10;

Space space10() {
  Space s;
  for (int d = 0; d < dims; ++d) s.add_float("x" + std::to_string(d), -5.0, 5.0);
  return s;
}

double ackley(const std::vector<double>& x) {
  double sq = 0.0, cs = 0.0;
  for (double v : x) {
    sq += v * v;
    cs += std::cos(2.0 * std::numbers::pi * v);
  }
  const double n = static_cast<double>(x.size());
  return -20.0 * std::exp(-0.2 * std::sqrt(sq / n)) - std::exp(cs / n) + 20.0 + std::numbers::e;
}

TrialRecord complete(std::int64_t id, const std::vector<double>& values) {
  TrialRecord t;
  t.id = id;
  t.state = TrialState::complete;
  t.values = values;
  t.value = ackley(values);
  return t;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Primed {
  std::unique_ptr<Strategy> gp;
  std::int64_t next_id = 0;
};

Primed primed(const Space& space, int n) {
  StrategyConfig config{"gp", {}};
  config.options.set("n_initial", std::int64_t{1});  // the observations below are the design
  Primed p{make_strategy(config, space, 7)};
  Rng rng(123);
  for (; p.next_id < n; ++p.next_id) {
    std::vector<double> u(dims);
    for (double& v : u) v = uniform01(rng);
    p.gp->tell(complete(p.next_id, space.from_unit(u)));
  }
  const auto design = p.gp->ask(1, {});  // the one design point, so the next ask models
  p.gp->tell(complete(p.next_id++, design.at(0).values));
  return p;
}

double ask_tell(Primed& p) {
  const auto start = Clock::now();
  const auto batch = p.gp->ask(1, {});
  p.gp->tell(complete(p.next_id++, batch.at(0).values));
  return seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 20;
  std::vector<int> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {100, 500, 1000, 2000, 5000};
  const Space space = space10();

  std::printf("%8s %12s %12s %14s\n", "n", "first [ms]", "steady [ms]", "amortized [ms]");
  for (const int n : sizes) {
    Primed p = primed(space, n);
    const double first = ask_tell(p);
    double total = 0.0;
    for (int k = 0; k < steps; ++k) total += ask_tell(p);
    const double steady = total / steps;
    const double amortized = steady + (first - steady) / std::max(1.0, 0.15 * n);
    std::printf("%8d %12.1f %12.1f %14.1f\n", n, 1e3 * first, 1e3 * steady, 1e3 * amortized);
    std::fflush(stdout);
  }

  Primed p = primed(space, 1000);
  ask_tell(p);  // the fit, so the batch below times suggestions only
  const auto start = Clock::now();
  const auto batch = p.gp->ask(64, {});
  std::printf("ask(64) at n = 1001: %.1f ms for %zu points\n", 1e3 * seconds_since(start), batch.size());
  return 0;
}
