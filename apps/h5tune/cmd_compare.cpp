// `h5tune compare a.h5 b.h5 ...`: studies side by side (strategy, best value, the trials
// and time it took to find it), to judge strategies or settings on the same problem.
#include <cmath>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "report_stats.hpp"
#include "trial_table.hpp"

namespace h5tune::cli {
namespace {

struct CompareArgs {
  std::vector<std::string> logs;
};

struct Column {
  std::string name;
  std::vector<std::string> cells;
};

std::string fixed(double v, const char* unit) { return std::isfinite(v) ? fmt::format("{:.1f}{}", v, unit) : "-"; }

int compare_command(const CompareArgs& args) {
  // Open every log first: a bad one fails the command before anything is printed.
  std::vector<std::unique_ptr<LogReader>> logs;
  for (const auto& path : args.logs) logs.push_back(std::make_unique<LogReader>(path));

  const std::vector<std::string> labels{"study", "strategy", "seed", "objective", "trials", "complete", "failed",
                                        "pruned", "best value", "best trial", "trials to best", "time to best",
                                        "wall time", "ranks"};
  std::vector<Column> columns;
  std::string metric;
  bool same_metric = true;
  for (std::size_t i = 0; i < logs.size(); ++i) {
    const LogReader& log = *logs[i];
    const LogHeader& h = log.header();
    std::vector<TrialRecord> trials;
    for_each_trial(log, [&](const TrialRecord& t) { trials.push_back(t); });
    const auto s = report::study_stats(trials, h.direction != "maximize");
    if (i == 0) metric = h.direction + " " + h.metric;
    same_metric = same_metric && metric == h.direction + " " + h.metric;
    const auto count = [&](TrialState state) { return fmt::format("{}", s.by_state[static_cast<std::size_t>(state)]); };
    Column c{log.path().filename().string(), {}};
    c.cells = {h.study_name,
               h.strategy,
               fmt::format("{}", h.seed),
               fmt::format("{} {}", h.direction, h.metric),
               fmt::format("{}", s.trials),
               count(TrialState::complete),
               count(TrialState::failed),
               count(TrialState::pruned),
               s.best ? fmt::format("{:.8g}", s.best->value) : "-",
               s.best ? fmt::format("{}", s.best->id) : "-",
               s.best ? fmt::format("{}", s.trials_to_best) : "-",
               s.best ? fixed(s.best->t_finished - s.first_created, " s") : "-",
               fixed(s.wall_seconds, " s"),
               fmt::format("{}", h.mpi_size)};
    columns.push_back(std::move(c));
  }

  std::size_t label_width = 0;
  for (const auto& l : labels) label_width = std::max(label_width, l.size());
  std::vector<std::size_t> widths;
  for (const auto& c : columns) {
    std::size_t w = c.name.size();
    for (const auto& cell : c.cells) w = std::max(w, cell.size());
    widths.push_back(w);
  }
  std::cout << fmt::format("{:<{}}", "", label_width);
  for (std::size_t i = 0; i < columns.size(); ++i) std::cout << fmt::format("  {:>{}}", columns[i].name, widths[i]);
  std::cout << '\n';
  for (std::size_t r = 0; r < labels.size(); ++r) {
    std::cout << fmt::format("{:<{}}", labels[r], label_width);
    for (std::size_t i = 0; i < columns.size(); ++i) std::cout << fmt::format("  {:>{}}", columns[i].cells[r], widths[i]);
    std::cout << '\n';
  }
  if (!same_metric) std::cout << "note: the studies optimize different metrics or directions; best values do not compare\n";
  return exit_ok;
}

}  // namespace

Command add_compare(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  auto* sub = app.add_subcommand("compare", "Compare studies side by side: strategy, best value, trials and time to reach it");
  sub->add_option("logs", args->logs, "HDF5 logs of studies")->required()->expected(1, -1);
  return [args] { return compare_command(*args); };
}

}  // namespace h5tune::cli
