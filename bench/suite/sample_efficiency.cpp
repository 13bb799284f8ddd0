// Sample efficiency of h5tune's strategies on test functions with known minima, through the
// real runtime (run_in_process: manager, in-process transport, worker threads, HDF5 log).
// docs/benchmarks.md, "Sample efficiency", explains the suite and bench/suite/run_suite.sh
// runs it with the Optuna and scikit-learn baselines.
//
// For each (function, strategy, workers, seed) one study of `budget` trials runs; the
// objective records every trial's value by trial id, so the best value among trials
// 0..B-1 gives the simple regret (best - f*) at every checkpoint B from the one run. With
// more than one worker each evaluation sleeps 0-2 ms (drawn from the trial's seed), so
// results arrive out of order and the strategy really suggests with trials pending.
// --reproducible runs every study in reproducible mode instead (no sleeps): trial k is
// suggested from the results of trials 0..k-W exactly, with trials k-W+1..k-1 pending,
// the schedule of long trials of equal length, so a row is the same on every run.
// Time per suggestion is rank 0's ask time (RunOptions::profile, ManagerProfile::ask_ns)
// divided by the trials of the run.
//
// Output: one CSV row per (run, checkpoint) on --out (default stdout):
//   source,function,strategy,workers,seed,budget,best,regret,sec_per_suggestion,wall_seconds
// bench/suite/summarize.py turns rows from all sources into the tables.
//
// Usage: sample_efficiency [--functions a,b] [--strategies s,t] [--seeds N | --seed-list 3,7]
//          [--budget 200] [--checkpoints 50,100,200] [--workers 1,4] [--reproducible]
//          [--out file.csv]
//        sample_efficiency --self-test [points]
//        sample_efficiency --print-values
// A strategy is a kind with optional options joined by '+': "gp", "tpe+multivariate=true",
// "gp+acquisition=ucb+kappa=1.5"; the whole text labels its rows.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "functions.hpp"
#include "../list_args.hpp"
#include "h5tune/objective.hpp"
#include "h5tune/runtime.hpp"
#include "h5tune/study.hpp"
#include "runtime/session.hpp"

namespace {

using namespace h5tune;
using bench::TestFunction;
using bench::split;
using bench::split_ints;

// "true"/"false", an integer, a number, or else text: the option's spec converts an
// integer where a float is expected.
OptionValue parse_option_value(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  char* end = nullptr;
  const long long integer = std::strtoll(text.c_str(), &end, 10);
  if (end && *end == '\0' && !text.empty()) return static_cast<std::int64_t>(integer);
  const double real = std::strtod(text.c_str(), &end);
  if (end && *end == '\0' && !text.empty()) return real;
  return text;
}

StrategyConfig parse_strategy(const std::string& spec) {
  const auto parts = split(spec, '+');
  StrategyConfig config{parts.at(0), {}};
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto eq = parts[i].find('=');
    if (eq == std::string::npos) throw std::runtime_error("strategy option without '=': " + parts[i]);
    config.options.set(parts[i].substr(0, eq), parse_option_value(parts[i].substr(eq + 1)));
  }
  return config;
}

// Every trial's value by id, written by the worker threads.
class History {
 public:
  explicit History(std::size_t n) : values_(n, std::numeric_limits<double>::quiet_NaN()) {}
  void record(std::int64_t id, double value) {
    std::lock_guard lock(mutex_);
    if (id >= 0 && static_cast<std::size_t>(id) < values_.size()) values_[static_cast<std::size_t>(id)] = value;
  }
  /// Lowest value among trials 0..n-1 (NaN if none finished).
  double best_of_first(std::size_t n) const {
    std::lock_guard lock(mutex_);
    double best = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < std::min(n, values_.size()); ++i)
      if (!std::isnan(values_[i]) && !(best <= values_[i])) best = values_[i];
    return best;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<double> values_;
};

struct RunResult {
  std::vector<double> best;  ///< per checkpoint
  double sec_per_suggestion = 0.0;
  double wall_seconds = 0.0;
};

RunResult run_one(const TestFunction& fn, const StrategyConfig& strategy, int workers, int seed, int budget,
                  const std::vector<int>& checkpoints, bool reproducible) {
  static int run_counter = 0;
  StudyConfig study;
  study.name = fn.name;
  study.metric = "value";
  study.seed = static_cast<std::uint64_t>(seed);
  study.max_trials = budget;
  study.space = fn.space;
  study.strategy = strategy;
  study.reproducible = reproducible;
  study.log = std::filesystem::temp_directory_path() /
              ("h5tune_suite_" + std::to_string(getpid()) + "_" + std::to_string(run_counter++) + ".h5");

  History history(static_cast<std::size_t>(budget));
  const bool sleep = workers > 1 && !reproducible;
  CallableObjective objective([&](const Trial& trial, Reporter&) {
    if (sleep) std::this_thread::sleep_for(std::chrono::microseconds(trial.seed() % 2001));
    const double value = fn.f(trial.values());
    history.record(trial.id(), value);
    return Metrics{{"value", value}};
  });

  RunOptions options;
  options.overwrite = true;
  options.verbosity = 0;
  options.profile = true;
  RunResult result;
  try {
    const RunSummary summary = runtime::run_in_process(study, objective, options, workers);
    result.wall_seconds = summary.wall_seconds;
    if (summary.profile && summary.trials > 0)
      result.sec_per_suggestion = 1e-9 * static_cast<double>(summary.profile->ask_ns) / static_cast<double>(summary.trials);
  } catch (...) {
    std::filesystem::remove(study.log);
    throw;
  }
  std::filesystem::remove(study.log);
  for (int b : checkpoints) result.best.push_back(history.best_of_first(static_cast<std::size_t>(b)));
  return result;
}

void print_values() {
  // Five fixed points per function (a golden-ratio sequence in the unit cube, decoded by the
  // space) for functions.py --check: "name v0 v1 ... f" with round-trip precision.
  for (const TestFunction& fn : bench::test_functions()) {
    const std::size_t d = fn.space.size();
    for (std::size_t k = 0; k < 5; ++k) {
      std::vector<double> u(d);
      for (std::size_t j = 0; j < d; ++j) {
        const double t = 0.137 + 0.6180339887498949 * static_cast<double>(k * d + j + 1);
        u[j] = t - std::floor(t);
      }
      const auto x = fn.space.from_unit(u);
      std::printf("%s", fn.name.c_str());
      for (double v : x) std::printf(" %.17g", v);
      std::printf(" %.17g\n", fn.f(x));
    }
    std::printf("%s", fn.name.c_str());
    for (double v : fn.x_star) std::printf(" %.17g", v);
    std::printf(" %.17g\n", fn.f(fn.x_star));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> function_names, strategies{"random", "sobol", "gp", "tpe", "evolution", "cmaes"};
  std::vector<int> seeds, workers{1, 4}, checkpoints{50, 100, 200};
  int budget = 200;
  bool reproducible = false;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--self-test") {
      const int points = i + 1 < argc ? std::atoi(argv[i + 1]) : 100000;
      return bench::self_test(points > 0 ? points : 100000) ? 0 : 1;
    } else if (arg == "--print-values") {
      print_values();
      return 0;
    } else if (arg == "--functions") {
      function_names = split(next(), ',');
    } else if (arg == "--strategies") {
      strategies = split(next(), ',');
    } else if (arg == "--seeds") {
      seeds.clear();
      for (int s = 0, n = std::stoi(next()); s < n; ++s) seeds.push_back(s);
    } else if (arg == "--seed-list") {
      seeds = split_ints(next());
    } else if (arg == "--budget") {
      budget = std::stoi(next());
    } else if (arg == "--checkpoints") {
      checkpoints = split_ints(next());
    } else if (arg == "--workers") {
      workers = split_ints(next());
    } else if (arg == "--reproducible") {
      reproducible = true;
    } else if (arg == "--out") {
      out_path = next();
    } else {
      std::cerr << "unknown argument " << arg << " (see the comment at the top of sample_efficiency.cpp)\n";
      return 2;
    }
  }
  if (seeds.empty())
    for (int s = 0; s < 20; ++s) seeds.push_back(s);
  checkpoints.erase(std::remove_if(checkpoints.begin(), checkpoints.end(), [&](int b) { return b > budget; }),
                    checkpoints.end());
  if (checkpoints.empty()) checkpoints.push_back(budget);

  std::vector<TestFunction> functions;
  for (auto& fn : bench::test_functions())
    if (function_names.empty() || std::find(function_names.begin(), function_names.end(), fn.name) != function_names.end())
      functions.push_back(std::move(fn));

  std::ofstream file;
  if (!out_path.empty()) file.open(out_path, std::ios::app);
  std::ostream& out = out_path.empty() ? std::cout : file;
  if (out_path.empty() || std::filesystem::file_size(out_path) == 0)
    out << "source,function,strategy,workers,seed,budget,best,regret,sec_per_suggestion,wall_seconds\n";

  int errors = 0;
  for (const TestFunction& fn : functions)
    for (const std::string& spec : strategies)
      for (int w : workers)
        for (int seed : seeds) {
          try {
            const RunResult r = run_one(fn, parse_strategy(spec), w, seed, budget, checkpoints, reproducible);
            for (std::size_t c = 0; c < checkpoints.size(); ++c) {
              char row[512];
              std::snprintf(row, sizeof row, "h5tune,%s,%s,%d,%d,%d,%.10g,%.10g,%.6g,%.4g\n", fn.name.c_str(),
                            spec.c_str(), w, seed, checkpoints[c], r.best[c], r.best[c] - fn.f_star,
                            r.sec_per_suggestion, r.wall_seconds);
              out << row;
            }
            out.flush();
            std::fprintf(stderr, "%-12s %-28s w=%d seed=%2d regret@%d=%-10.4g %.2f ms/suggestion %.1f s\n",
                         fn.name.c_str(), spec.c_str(), w, seed, checkpoints.back(), r.best.back() - fn.f_star,
                         1e3 * r.sec_per_suggestion, r.wall_seconds);
          } catch (const std::exception& e) {
            ++errors;
            std::fprintf(stderr, "%s %s w=%d seed=%d FAILED: %s\n", fn.name.c_str(), spec.c_str(), w, seed, e.what());
          }
        }
  return errors == 0 ? 0 : 1;
}
