#include <algorithm>
#include <array>
#include <cmath>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "h5tune/log.hpp"
#include "show_decile.hpp"
#include "show_lineage.hpp"
#include "show_live.hpp"
#include "show_trial.hpp"
#include "trial_table.hpp"

namespace h5tune::cli {
namespace {

struct ShowArgs {
  std::string log;
  int top = 5;
  std::int64_t trial = -1;  ///< --trial: describe this one trial instead
  bool lineage = false;     ///< --lineage: the best trial's ancestry (PBT)
  bool live = false;        ///< --live: redraw the summary until the run finishes
  double interval = 2.0;    ///< --interval: seconds between redraws
};

/// The summary of a study: header, counts by state, the best trials.
void print_summary(std::ostream& out, const LogReader& log, const ShowArgs& args) {
  const LogHeader& h = log.header();
  const bool minimize = h.direction != "maximize";
  std::array<std::int64_t, 6> counts{};
  std::vector<TrialRecord> best;  // kept sorted, at most `top`
  double first_created = INFINITY;
  double last_finished = -INFINITY;
  auto better = [&](const TrialRecord& a, const TrialRecord& b) { return minimize ? a.value < b.value : a.value > b.value; };
  std::int64_t total = 0;
  double busy = 0.0;  // seconds the workers spent in trials
  for_each_trial(log, [&](const TrialRecord& t) {
    ++total;
    if (std::isfinite(t.t_started) && std::isfinite(t.t_finished)) busy += std::max(0.0, t.t_finished - t.t_started);
    const auto s = static_cast<std::size_t>(t.state);
    if (s < counts.size()) ++counts[s];
    if (std::isfinite(t.t_created)) first_created = std::min(first_created, t.t_created);
    if (std::isfinite(t.t_finished)) last_finished = std::max(last_finished, t.t_finished);
    if (t.state != TrialState::complete || args.top <= 0) return;
    if (best.size() < static_cast<std::size_t>(args.top) || better(t, best.back())) {
      auto at = std::upper_bound(best.begin(), best.end(), t, better);
      best.insert(at, t);
      if (best.size() > static_cast<std::size_t>(args.top)) best.pop_back();
    }
  });

  out << fmt::format("study      {}\n", h.study_name);
  out << fmt::format("log        {} (format {}, h5tune {} {})\n", args.log, h.format_version, h.h5tune_version, h.git_sha);
  out << fmt::format("created    {}\n", h.created);
  out << fmt::format("strategy   {}, seed {}, {} {}\n", h.strategy, h.seed, h.direction, h.metric);
  out << fmt::format("budget     {}\n", trials_text(h.max_trials));
  std::string hosts;
  for (const auto& host : log.hosts()) hosts += (hosts.empty() ? "" : ", ") + host;
  out << fmt::format("ranks      {} (hosts: {})\n", h.mpi_size, hosts.empty() ? "-" : hosts);
  if (h.slurm_job_id.size()) out << fmt::format("slurm job  {}\n", h.slurm_job_id);
  if (std::isfinite(first_created) && std::isfinite(last_finished) && last_finished > first_created) {
    // Workers: ranks 1..N-1 under MPI, the one worker thread of a one-process run.
    const int workers = std::max(1, h.mpi_size - 1);
    const double wall = last_finished - first_created;
    out << fmt::format("wall time  {:.1f} s, worker utilization {:.1f} % ({} worker{} busy in trials)\n", wall,
                       100.0 * busy / (wall * workers), workers, workers == 1 ? "" : "s");
  }
  out << fmt::format("trials     {}", total);
  for (std::size_t s = 0; s < counts.size(); ++s)
    if (counts[s]) out << fmt::format(", {} {}", counts[s], to_string(static_cast<TrialState>(s)));
  out << "\n";
  if (h.enqueued > 0) out << fmt::format("enqueued   {}\n", enqueued_text(h.enqueued));
  if (counts[static_cast<std::size_t>(TrialState::complete)] == 0) {
    out << "no trial completed yet\n";
    return;
  }
  if (!best.empty()) {  // --top 0 lists none
    out << fmt::format("\nbest {} trials ({} {}):\n", best.size(), h.direction, h.metric);
    out << fmt::format("{:>8}  {:>14}  {}\n", "trial", h.metric, "parameters");
    for (const auto& t : best)
      out << fmt::format("{:>8}  {:>14.8g}  {}{}\n", t.id, t.value, format_params(h.space, t),
                         t.id < h.enqueued ? "  (enqueued)" : "");
  }
  print_best_decile(out, log);
}

int show_command(const ShowArgs& args) {
  // --live opens the log afresh for each redraw; a reader kept open here would pin HDF5's
  // view of the file to this moment.
  if (args.live)
    return show_live(args.log, args.interval, [&](std::ostream& out, const LogReader& now) { print_summary(out, now, args); });
  LogReader log(args.log);
  if (args.lineage) {
    print_best_lineage(std::cout, log);
    return exit_ok;
  }
  if (args.trial >= 0) {
    print_trial(std::cout, log, args.trial);
    return exit_ok;
  }
  print_summary(std::cout, log, args);
  return exit_ok;
}

}  // namespace

Command add_show(CLI::App& app) {
  auto args = std::make_shared<ShowArgs>();
  auto* sub = app.add_subcommand("show", "Summarize a log: the study, counts by state, the best trials (works on a running study)");
  sub->add_option("log", args->log, "HDF5 log of a study")->required();
  sub->add_option("-k,--top", args->top, "How many best trials to list (default 5)")->check(CLI::NonNegativeNumber);
  auto* trial = sub->add_option("-t,--trial", args->trial, "Show everything about this trial: parameters, timings, metrics, stderr, learning curve")
      ->check(CLI::NonNegativeNumber);
  auto* lineage = sub->add_flag("--lineage", args->lineage, "Show the best trial's ancestry and hyperparameter schedule (PBT)");
  auto* live = sub->add_flag("--live", args->live, "Redraw the summary every --interval seconds until the run finishes (Ctrl-C stops)");
  sub->add_option("--interval", args->interval, "Seconds between --live redraws (default 2)")
      ->check(finite_number)
      ->check(CLI::Range(0.1, 3600.0));
  // Each picks what to print; together one of them was silently dropped.
  trial->excludes(lineage)->excludes(live);
  lineage->excludes(live);
  return [args] { return show_command(*args); };
}

}  // namespace h5tune::cli
