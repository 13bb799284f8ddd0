// Early stopping on a synthetic learning-curve benchmark with known final values, through
// the real runtime (run_in_process: manager, in-process transport, W worker threads, the
// stopping rule at rank 0, the HDF5 log). docs/benchmarks.md, "Early stopping", explains the
// protocol; bench/early_stopping.sh runs it with the digits example and summarizes both.
//
// The task: a configuration x in [0,1]^4 trains for t = 1..R steps and reports
//   loss(x, t) = final(x) + a(x) * t^(-b(x)) + noise,
//   final(x) = 0.05 + 0.6 (x0 - 0.7)^2 + 0.4 (x1 - 0.3)^2 + 0.2 (x2 - 0.5)^2,
//   a(x) = 0.5 + x2,  b(x) = 0.3 + 0.7 x3 + 0.5 x0,
// the noise Gaussian with standard deviation --noise, drawn from the trial's seed. Slow
// learners (small b) can end better than fast ones, so the curves cross as real ones do.
// A configuration's true final value F(x) = final(x) + a(x) R^(-b(x)) is its noise-free
// loss at the full budget R: known analytically, whatever the run did to the trial.
//
// Each step sleeps --step-ms, so reports reach rank 0 while the trial runs and a stopped
// trial ends a step or two later, as a real one would; the steps a trial really ran (not
// the step it was judged at) are its compute.
//
// For a run: the best final metric is F of the trial a user would pick, the one with the
// lowest observed loss among the trials that ran all R steps; total compute is the sum
// over trials of the steps each ran; best_of_sampled is the lowest F among all configurations
// the run sampled (what a run that trained every one to the end could at best have found).
//
// Output: one CSV row per run on --out (appended; default stdout):
//   task,method,workers,seed,configs,steps,best_final,best_of_sampled,complete,pruned,wall_seconds
//
// Usage: early_stopping_curves [--methods random,asha,hyperband] [--configs 81]
//          [--max-resource 81] [--min-resource 1] [--eta 3] [--seeds 10 | --seed-list 3,7]
//          [--workers 1,4] [--step-ms 2] [--noise 0.005] [--out file.csv]
// A method is random (no stopping), asha, hyperband, hyperband-shared (shared_rungs) or
// median, or asha-promote / hyperband-promote: the successive_halving strategy with
// brackets = 1 / 0, whose trials resume their parent's checkpoint (here: the step reached,
// the configuration's first trial id and the noise generator, so a resumed curve is the
// one trained straight); optionally followed by ":N" for N configurations instead of
// --configs ("asha:162"); the whole text labels rows.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <string_view>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "h5tune/objective.hpp"
#include "h5tune/runtime.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/study.hpp"
#include "list_args.hpp"
#include "runtime/session.hpp"

namespace {

using namespace h5tune;
using bench::split;
using bench::split_ints;

struct Settings {
  int configs = 81;
  std::int64_t max_resource = 81;
  std::int64_t min_resource = 1;
  std::int64_t eta = 3;
  double step_ms = 2.0;
  double noise = 0.005;
};

/// One configuration's learning curve.
struct Curve {
  double final_value, amplitude, rate;
  explicit Curve(std::span<const double> x)
      : final_value(0.05 + 0.6 * (x[0] - 0.7) * (x[0] - 0.7) + 0.4 * (x[1] - 0.3) * (x[1] - 0.3) +
                    0.2 * (x[2] - 0.5) * (x[2] - 0.5)),
        amplitude(0.5 + x[2]),
        rate(0.3 + 0.7 * x[3] + 0.5 * x[0]) {}
  double at(std::int64_t step) const { return final_value + amplitude * std::pow(static_cast<double>(step), -rate); }
};

/// Standard normal draw (Box-Muller on uniform01, which is bit-for-bit the same everywhere).
double gaussian(Rng& rng) {
  const double u1 = 1.0 - uniform01(rng), u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

/// Where a curve stands: the checkpoint of a successive_halving trial.
struct CurveState {
  std::int64_t step = 0;
  std::int64_t config = -1;  ///< the first trial id of the configuration
  Rng rng;
};

void save_state(const std::filesystem::path& dir, const CurveState& state) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "curve") << state.step << ' ' << state.config << ' ' << state.rng;
}

CurveState load_state(const std::filesystem::path& dir) {
  CurveState state;
  std::ifstream in(dir / "curve");
  if (!(in >> state.step >> state.config >> state.rng)) throw std::runtime_error("no curve checkpoint in " + dir.string());
  return state;
}

/// What one configuration did (its trials' steps summed); written by the worker threads.
struct TrialOutcome {
  double true_final = std::numeric_limits<double>::quiet_NaN();
  double observed_final = std::numeric_limits<double>::quiet_NaN();
  std::int64_t steps = 0;
  bool ran_to_end = false;
};

struct RunResult {
  std::int64_t steps = 0;
  double best_final = std::numeric_limits<double>::quiet_NaN();
  double best_of_sampled = std::numeric_limits<double>::quiet_NaN();
  std::int64_t complete = 0, pruned = 0;
  std::int64_t configs = 0;  ///< configurations sampled (trials, but for successive_halving)
  double wall_seconds = 0.0;
};

RunResult run_one(const std::string& method, const Settings& s, int workers, int seed) {
  static int run_counter = 0;
  const auto colon = method.find(':');
  std::string kind = method.substr(0, colon);
  const bool shared = kind.ends_with("-shared");  // hyperband with shared_rungs
  if (shared) kind.resize(kind.size() - std::string_view("-shared").size());
  const bool promote = kind.ends_with("-promote");  // the successive_halving strategy
  const int configs = colon == std::string::npos ? s.configs : std::stoi(method.substr(colon + 1));

  StudyConfig study;
  study.name = "curves-" + kind;
  study.metric = "loss";
  study.seed = static_cast<std::uint64_t>(seed);
  study.max_trials = configs;
  for (const char* name : {"x0", "x1", "x2", "x3"}) study.space.add_float(name, 0.0, 1.0);
  study.strategy = StrategyConfig{"random", {}};
  if (promote) {
    Options o;
    o.set("min_resource", s.min_resource);
    o.set("max_resource", s.max_resource);
    o.set("reduction_factor", s.eta);
    o.set("brackets", std::int64_t{kind == "asha-promote" ? 1 : 0});
    o.set("configs", std::int64_t{configs});
    study.strategy = StrategyConfig{"successive_halving", o};
    study.max_trials = 20 * configs;  // segments; the strategy ends the run
  } else if (kind != "random") {
    const auto stopping_kind = parse_stopping_kind(kind);
    if (!stopping_kind) throw std::runtime_error("unknown method " + method);
    StoppingConfig stopping;
    stopping.kind = *stopping_kind;
    if (kind != "median") {
      stopping.min_resource = s.min_resource;
      stopping.max_resource = s.max_resource;
      stopping.reduction_factor = s.eta;
      stopping.shared_rungs = shared;
    }
    study.stopping = stopping;
  }
  study.log = std::filesystem::temp_directory_path() /
              ("h5tune_es_curves_" + std::to_string(getpid()) + "_" + std::to_string(run_counter++) + ".h5");

  std::mutex mutex;
  std::vector<TrialOutcome> outcomes(static_cast<std::size_t>(study.max_trials));  // by configuration
  const auto step_time = std::chrono::duration<double, std::milli>(s.step_ms);
  CallableObjective objective([&](const Trial& trial, Reporter& reporter) {
    const Curve curve(trial.values());
    CurveState state{0, trial.id(), Rng(trial.seed())};
    if (!trial.restore_from().empty()) state = load_state(trial.restore_from());
    const std::int64_t start = state.step;
    const std::int64_t end = trial.budget() > 0 ? std::min(s.max_resource, start + trial.budget()) : s.max_resource;
    double loss = std::numeric_limits<double>::quiet_NaN();
    bool ran_to_end = false;
    for (std::int64_t step = start + 1; step <= end; ++step) {
      std::this_thread::sleep_for(step_time);  // the step's training
      loss = curve.at(step) + s.noise * gaussian(state.rng);
      state.step = step;
      if (!reporter.report(step, Metrics{{"loss", loss}})) break;
      ran_to_end = step == s.max_resource;
    }
    if (!trial.checkpoint_dir().empty()) save_state(trial.checkpoint_dir(), state);
    {
      std::lock_guard lock(mutex);
      if (state.config >= 0 && state.config < static_cast<std::int64_t>(outcomes.size())) {
        TrialOutcome& out = outcomes[static_cast<std::size_t>(state.config)];
        out.true_final = curve.at(s.max_resource);
        out.steps += state.step - start;
        if (ran_to_end) {
          out.ran_to_end = true;
          out.observed_final = loss;
        }
      }
    }
    return Metrics{{"loss", loss}};
  });

  RunOptions options;
  options.overwrite = true;
  options.verbosity = 0;
  RunResult result;
  try {
    const RunSummary summary = runtime::run_in_process(study, objective, options, workers);
    result.wall_seconds = summary.wall_seconds;
    result.complete = summary.complete;
    result.pruned = summary.pruned;
  } catch (...) {
    std::filesystem::remove(study.log);
    throw;
  }
  std::filesystem::remove(study.log);
  std::filesystem::remove_all(std::filesystem::path(study.log).replace_extension(".trials"));

  double best_observed = std::numeric_limits<double>::infinity();
  for (const TrialOutcome& t : outcomes) {
    if (std::isnan(t.true_final)) continue;  // no configuration
    ++result.configs;
    result.steps += t.steps;
    if (!(result.best_of_sampled <= t.true_final)) result.best_of_sampled = t.true_final;
    if (t.ran_to_end && t.observed_final < best_observed) {
      best_observed = t.observed_final;
      result.best_final = t.true_final;
    }
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  std::vector<std::string> methods{"random", "asha", "hyperband"};
  std::vector<int> seeds, workers{1, 4};
  std::string out_path;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      const auto next = [&]() -> std::string {
        if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--methods") methods = split(next(), ',');
      else if (arg == "--configs") s.configs = std::stoi(next());
      else if (arg == "--max-resource") s.max_resource = std::stoll(next());
      else if (arg == "--min-resource") s.min_resource = std::stoll(next());
      else if (arg == "--eta") s.eta = std::stoll(next());
      else if (arg == "--seeds") {
        seeds.clear();
        for (int k = 1, n = std::stoi(next()); k <= n; ++k) seeds.push_back(k);
      } else if (arg == "--seed-list") seeds = split_ints(next());
      else if (arg == "--workers") workers = split_ints(next());
      else if (arg == "--step-ms") s.step_ms = std::stod(next());
      else if (arg == "--noise") s.noise = std::stod(next());
      else if (arg == "--out") out_path = next();
      else throw std::runtime_error("unknown argument " + arg + " (see the comment at the top of early_stopping_curves.cpp)");
    }
  } catch (const std::exception& e) {
    std::cerr << "early_stopping_curves: " << e.what() << "\n";
    return 2;
  }
  if (seeds.empty())
    for (int k = 1; k <= 10; ++k) seeds.push_back(k);

  std::ofstream file;
  if (!out_path.empty()) file.open(out_path, std::ios::app);
  std::ostream& out = out_path.empty() ? std::cout : file;
  if (out_path.empty() || std::filesystem::file_size(out_path) == 0)
    out << "task,method,workers,seed,configs,steps,best_final,best_of_sampled,complete,pruned,wall_seconds\n";

  int errors = 0;
  for (int w : workers)
    for (const std::string& method : methods)
      for (int seed : seeds) {
        try {
          const RunResult r = run_one(method, s, w, seed);
          char row[512];
          std::snprintf(row, sizeof row, "curves,%s,%d,%d,%lld,%lld,%.10g,%.10g,%lld,%lld,%.4g\n", method.c_str(), w,
                        seed, static_cast<long long>(r.configs), static_cast<long long>(r.steps),
                        r.best_final, r.best_of_sampled, static_cast<long long>(r.complete),
                        static_cast<long long>(r.pruned), r.wall_seconds);
          out << row << std::flush;
          std::fprintf(stderr, "%-14s w=%d seed=%2d steps=%6lld best_final=%.5f best_of_sampled=%.5f %.1f s\n",
                       method.c_str(), w, seed, static_cast<long long>(r.steps), r.best_final, r.best_of_sampled,
                       r.wall_seconds);
        } catch (const std::exception& e) {
          ++errors;
          std::fprintf(stderr, "%s w=%d seed=%d FAILED: %s\n", method.c_str(), w, seed, e.what());
        }
      }
  return errors == 0 ? 0 : 1;
}
