// h5tune simulate: how well would rank 0 keep W workers busy? The study's real strategy,
// manager and log run against simulated workers on a virtual clock (docs/architecture.md).
#include <charconv>
#include <cmath>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "config/duration.hpp"
#include "h5tune/config.hpp"
#include "h5tune/error.hpp"
#include "h5tune/simulation.hpp"
#include "trial_table.hpp"

namespace h5tune::cli {
namespace {

struct SimulateArgs {
  std::string study;
  int workers = 0;
  std::int64_t trials = 0;  ///< 0: 20 × workers
  std::string median = "30s";
  double sigma = 0.5;
  double message_us = 2.0;
  std::string charge = "cpu";
  std::string log;
  bool force = false;
  std::uint64_t seed = 0;
  CLI::Option* seed_given = nullptr;  ///< counts whether --seed was given
  bool json = false;
  bool verbose = false;
};

// "30s", "2m", "1h30m" as in study files, or a plain number of seconds.
double duration_seconds(const std::string& text) {
  double seconds = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error == std::errc() && end == text.data() + text.size()) return seconds;
  if (const auto parsed = config::parse_duration_seconds(text)) return *parsed;
  throw InputError(fmt::format("--duration-median: '{}' is not a duration (examples: 30s, 2m, 1h30m, 45)", text));
}

double per_trial_ms(std::int64_t ns, std::int64_t trials) {
  return trials > 0 ? 1e-6 * static_cast<double>(ns) / static_cast<double>(trials) : 0.0;
}

nlohmann::json to_json(const StudyConfig& study, const SimulationOptions& options, const SimulationReport& r) {
  const auto& p = r.profile;
  nlohmann::json out = {
      {"study", study.name},
      {"strategy", study.strategy.kind},
      {"seed", options.seed ? *options.seed : study.seed},
      {"workers", r.workers},
      {"trials", r.trials},
      {"complete", r.complete},
      {"duration_median_seconds", options.duration_median_seconds},
      {"duration_sigma", options.duration_sigma},
      {"message_seconds", options.message_seconds},
      {"charge", options.charge_wall_time ? "wall" : "cpu"},
      {"makespan_seconds", r.makespan_seconds},
      {"busy_seconds", r.busy_seconds},
      {"waiting_seconds", r.waiting_seconds},
      {"drain_seconds", r.drain_seconds},
      {"utilization", r.utilization()},
      {"waiting_fraction", r.waiting_fraction()},
      {"drain_fraction", r.drain_fraction()},
      {"utilization_before_drain", r.utilization_before_drain()},
      {"rank0_busy_seconds", r.rank0_busy_seconds},
      {"rank0_busy_fraction", r.rank0_busy_fraction()},
      {"messages", r.messages},
      {"real_seconds", r.real_seconds},
      {"stopped_by_signal", r.stopped_by_signal},
      {"rank0_real_ms_per_trial",
       {{"ask", per_trial_ms(p.ask_ns, r.trials)},
        {"tell", per_trial_ms(p.tell_ns, r.trials)},
        {"log", per_trial_ms(p.log_ns, r.trials)},
        {"serialize", per_trial_ms(p.serialize_ns, r.trials)},
        {"other", per_trial_ms(p.other_ns, r.trials)}}},
      {"best_value", r.best ? nlohmann::json(r.best->value) : nlohmann::json(nullptr)},
      {"log", r.log ? nlohmann::json(r.log->string()) : nlohmann::json(nullptr)},
  };
  return out;
}

void print_report(std::ostream& out, const StudyConfig& study, const SimulationOptions& options,
                  const SimulationReport& r) {
  const auto percent = [](double fraction) { return fmt::format("{:.2f} %", 100 * fraction); };
  out << fmt::format("simulated   study '{}', strategy {}, seed {}: {} workers, {} trials ({} complete)\n", study.name,
                     study.strategy.kind, options.seed ? *options.seed : study.seed, r.workers, r.trials, r.complete);
  out << fmt::format("durations   log-normal, median {:g} s, sigma {:g}; rank 0 charged its {} time + {:g} us per message\n",
                     options.duration_median_seconds, options.duration_sigma,
                     options.charge_wall_time ? "wall" : "thread CPU", 1e6 * options.message_seconds);
  out << fmt::format("makespan    {:.1f} s virtual ({:.2f} h), simulated in {:.1f} s real{}\n", r.makespan_seconds,
                     r.makespan_seconds / 3600, r.real_seconds,
                     r.stopped_by_signal ? "; stopped early by a signal, running trials interrupted" : "");
  out << fmt::format("utilization {}  (sum of trial durations / (workers x makespan))\n", percent(r.utilization()));
  out << fmt::format("  idle, waiting for rank 0      {}\n", percent(r.waiting_fraction()));
  out << fmt::format("  idle at the end, no work left {}\n", percent(r.drain_fraction()));
  out << fmt::format("  utilization before the drain  {}  (busy / (busy + waiting for rank 0))\n",
                     percent(r.utilization_before_drain()));
  out << fmt::format("rank 0      busy {}  ({:.2f} s of the makespan), {} messages\n", percent(r.rank0_busy_fraction()),
                     r.rank0_busy_seconds, r.messages);
  const auto& p = r.profile;
  out << fmt::format("  real ms per trial: ask {:.3f}, tell {:.3f}, log {:.3f}, serialize {:.3f}, other {:.3f}\n",
                     per_trial_ms(p.ask_ns, r.trials), per_trial_ms(p.tell_ns, r.trials), per_trial_ms(p.log_ns, r.trials),
                     per_trial_ms(p.serialize_ns, r.trials), per_trial_ms(p.other_ns, r.trials));
  if (r.best)
    out << fmt::format("best        trial {}, {} = {:.6g} (synthetic objective)\n", r.best->id, study.metric, r.best->value);
  out << fmt::format("log         {}\n", r.log ? r.log->string() : std::string("not kept (use --log FILE)"));
}

int simulate_command(const SimulateArgs& args) {
  SimulationOptions options;
  options.workers = args.workers;
  if (args.trials > 0) options.trials = args.trials;
  options.duration_median_seconds = duration_seconds(args.median);
  options.duration_sigma = args.sigma;
  options.message_seconds = 1e-6 * args.message_us;
  options.charge_wall_time = args.charge == "wall";
  // --force replaces the --log file: never with the study being simulated.
  if (!args.log.empty() && same_file(args.log, args.study))
    throw InputError(fmt::format("--log {}: that is the study file; the simulated run's log would destroy it", args.log));
  if (!args.log.empty()) options.log = args.log;
  options.overwrite = args.force;
  if (args.seed_given->count() > 0) options.seed = args.seed;
  options.verbosity = args.verbose ? 1 : 0;
  options.stop_on_signal = true;
  // Simulated workers run no objective: its program need not exist here (a laptop
  // planning a cluster run).
  const StudyConfig study = load_study(args.study, LoadOptions{.find_program = false});
  const SimulationReport report = [&] {
    try {
      return simulate_study(study, options);
    } catch (const LogExistsError& e) {  // simulate has no --resume
      throw InputError(fmt::format("--log {}: log exists; use --force to replace it", e.log()));
    }
  }();
  if (args.json) std::cout << to_json(study, options, report).dump(2) << '\n';
  else print_report(std::cout, study, options, report);
  return report.stopped_by_signal ? exit_interrupted : exit_ok;
}

}  // namespace

Command add_simulate(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  auto* sub = app.add_subcommand(
      "simulate", "Predict worker utilization on a cluster: the study's real rank 0 against W simulated workers");
  sub->add_option("study", args->study, "Study file (TOML, see docs/study-file.md)")->required();
  sub->add_option("-w,--workers", args->workers, "Simulated worker ranks (at least 1)")
      ->required()
      ->check(CLI::Range(1, 1 << 24));
  sub->add_option("-n,--trials", args->trials, "Trials to run (default: 20 x workers)")->check(CLI::PositiveNumber);
  sub->add_option("--duration-median", args->median, "Median trial duration: 30s, 2m, 1h30m or seconds (default 30s)");
  sub->add_option("--duration-sigma", args->sigma, "Sigma of the log-normal trial duration (default 0.5; 0: fixed)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--message-cost", args->message_us, "Rank 0's cost per message in microseconds (default 2)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--charge", args->charge, "Rank 0's time charged to the virtual clock: cpu (thread CPU time, the default) or wall")
      ->check(CLI::IsMember({"cpu", "wall"}));
  sub->add_option("--log", args->log, "Keep the simulated run's log here (default: a temporary file, removed)");
  sub->add_flag("--force", args->force, "Replace an existing --log file");
  // CLI11 reads "-1" into an unsigned as 2^64 - 1: refuse it rather than run another seed.
  args->seed_given = sub->add_option("--seed", args->seed, "Replace the study's seed")->check(CLI::NonNegativeNumber);
  sub->add_flag("--json", args->json, "Print the report as JSON");
  sub->add_flag("-v,--verbose", args->verbose, "Print the manager's progress (in virtual time) on stderr");
  return [args] { return simulate_command(*args); };
}

}  // namespace h5tune::cli
