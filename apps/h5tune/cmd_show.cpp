#include <algorithm>
#include <array>
#include <cmath>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "h5tune/log.hpp"
#include "show_trial.hpp"
#include "trial_table.hpp"

namespace h5tune::cli {
namespace {

struct ShowArgs {
  std::string log;
  int top = 5;
  std::int64_t trial = -1;  ///< --trial: describe this one trial instead
};

int show_command(const ShowArgs& args) {
  LogReader log(args.log);
  if (args.trial >= 0) {
    print_trial(std::cout, log, args.trial);
    return exit_ok;
  }
  const LogHeader& h = log.header();
  const bool minimize = h.direction != "maximize";
  std::array<std::int64_t, 6> counts{};
  std::vector<TrialRecord> best;  // kept sorted, at most `top`
  double first_created = INFINITY;
  double last_finished = -INFINITY;
  auto better = [&](const TrialRecord& a, const TrialRecord& b) { return minimize ? a.value < b.value : a.value > b.value; };
  std::int64_t total = 0;
  for_each_trial(log, [&](const TrialRecord& t) {
    ++total;
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

  std::cout << fmt::format("study      {}\n", h.study_name);
  std::cout << fmt::format("log        {} (format {}, h5tune {} {})\n", args.log, h.format_version, h.h5tune_version, h.git_sha);
  std::cout << fmt::format("created    {}\n", h.created);
  std::cout << fmt::format("strategy   {}, seed {}, {} {}\n", h.strategy, h.seed, h.direction, h.metric);
  std::cout << fmt::format("budget     {} trials\n", h.max_trials);
  std::string hosts;
  for (const auto& host : log.hosts()) hosts += (hosts.empty() ? "" : ", ") + host;
  std::cout << fmt::format("ranks      {} (hosts: {})\n", h.mpi_size, hosts.empty() ? "-" : hosts);
  if (h.slurm_job_id.size()) std::cout << fmt::format("slurm job  {}\n", h.slurm_job_id);
  if (std::isfinite(first_created) && std::isfinite(last_finished))
    std::cout << fmt::format("wall time  {:.1f} s\n", last_finished - first_created);
  std::cout << fmt::format("trials     {}", total);
  for (std::size_t s = 0; s < counts.size(); ++s)
    if (counts[s]) std::cout << fmt::format(", {} {}", counts[s], to_string(static_cast<TrialState>(s)));
  std::cout << "\n";
  if (best.empty()) {
    std::cout << "no trial completed yet\n";
    return exit_ok;
  }
  std::cout << fmt::format("\nbest {} trials ({} {}):\n", best.size(), h.direction, h.metric);
  std::cout << fmt::format("{:>8}  {:>14}  {}\n", "trial", h.metric, "parameters");
  for (const auto& t : best)
    std::cout << fmt::format("{:>8}  {:>14.8g}  {}\n", t.id, t.value, format_params(h.space, t));
  return exit_ok;
}

}  // namespace

Command add_show(CLI::App& app) {
  auto args = std::make_shared<ShowArgs>();
  auto* sub = app.add_subcommand("show", "Summarize a log: the study, counts by state, the best trials (works on a running study)");
  sub->add_option("log", args->log, "HDF5 log of a study")->required();
  sub->add_option("-k,--top", args->top, "How many best trials to list")->check(CLI::NonNegativeNumber);
  sub->add_option("-t,--trial", args->trial, "Show everything about this trial: parameters, timings, metrics, stderr, learning curve")
      ->check(CLI::NonNegativeNumber);
  return [args] { return show_command(*args); };
}

}  // namespace h5tune::cli
