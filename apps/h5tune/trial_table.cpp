#include "trial_table.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace h5tune::cli {

namespace {
const std::vector<std::string> fixed_columns{"id",         "state",     "value",    "seed",       "rank",
                                             "host",       "t_created", "t_started", "t_finished",
                                             "duration",   "attempt",   "parent",   "generation", "budget",
                                             "message"};
}  // namespace

TrialTable::TrialTable(const LogHeader& header, std::vector<std::string> hosts, std::vector<std::string> metric_names)
    : space_(header.space), hosts_(std::move(hosts)), metric_names_(std::move(metric_names)), columns_(fixed_columns) {
  // A name already a column gets the prefix, again until it is unique: parameter
  // "metric.loss" and metric "loss" beside parameter "loss" give "metric.metric.loss".
  auto unique = [&](std::string name, const std::string& prefix) {
    while (std::find(columns_.begin(), columns_.end(), name) != columns_.end()) name = prefix + name;
    return name;
  };
  for (const auto& p : space_.parameters()) columns_.push_back(unique(p.name, "param."));
  for (const auto& m : metric_names_) columns_.push_back(unique(m, "metric."));
}

std::int64_t TrialTable::generation(const TrialRecord& t) {
  constexpr std::int64_t unknown = -1;
  if (t.id < 0) return t.parent < 0 ? 0 : unknown;
  const auto id = static_cast<std::size_t>(t.id);
  if (generations_.size() <= id) generations_.resize(id + 1, unknown);
  std::int64_t g = 0;
  if (t.parent >= 0) {
    // A parent finished before its child was created, so it has a smaller id and its row came first.
    const auto parent = static_cast<std::size_t>(t.parent);
    g = t.parent < t.id && generations_[parent] >= 0 ? generations_[parent] + 1 : unknown;
  }
  generations_[id] = g;
  return g;
}

std::vector<Cell> TrialTable::row(const TrialRecord& t) {
  std::vector<Cell> cells;
  cells.reserve(columns_.size());
  // emplace with in_place_type: GCC 12 warns falsely on moving a variant holding a string.
  auto number = [&](double v) { cells.emplace_back(std::in_place_type<double>, v); };
  auto integer = [&](long long v) { cells.emplace_back(std::in_place_type<long long>, v); };
  auto text = [&](std::string v) { cells.emplace_back(std::in_place_type<std::string>, std::move(v)); };
  integer(t.id);
  text(std::string(to_string(t.state)));
  number(t.value);
  cells.emplace_back(std::in_place_type<unsigned long long>, t.seed);
  integer(t.rank);
  text(t.host >= 0 && static_cast<std::size_t>(t.host) < hosts_.size() ? hosts_[static_cast<std::size_t>(t.host)] : "");
  number(t.t_created);
  number(t.t_started);
  number(t.t_finished);
  number(t.t_finished - t.t_started);
  integer(t.attempt);
  integer(t.parent);
  integer(generation(t));
  integer(t.budget);
  text(t.message);
  for (std::size_t i = 0; i < space_.size(); ++i) {
    const double v = i < t.values.size() ? t.values[i] : TrialRecord::nan;
    const auto& p = space_[i];
    if (std::isnan(v)) number(v);
    else if (p.kind == ParamKind::categorical) text(space_.format(i, v));
    else if (p.kind == ParamKind::integer) integer(static_cast<long long>(v));
    else number(v);
  }
  for (const auto& m : metric_names_) number(find_metric(t.metrics, m).value_or(TrialRecord::nan));
  return cells;
}

void for_each_trial(const LogReader& log, const std::function<void(const TrialRecord&)>& visit) {
  constexpr std::int64_t slice = 65536;
  const std::int64_t total = log.trial_count();
  for (std::int64_t first = 0; first < total; first += slice)
    for (const auto& trial : log.trials(first, slice)) visit(trial);
}

std::string format_params(const Space& space, const TrialRecord& trial) {
  std::string out;
  for (std::size_t i = 0; i < space.size() && i < trial.values.size(); ++i)
    out += fmt::format("{}{}={}", i ? " " : "", space[i].name, space.format(i, trial.values[i]));
  return out;
}

std::string trials_text(std::int64_t count) { return fmt::format("{} trial{}", count, count == 1 ? "" : "s"); }

std::string enqueued_text(std::int64_t count) {
  if (count <= 0) return "";
  if (count == 1) return "trial 0 (the study's [[enqueue]] point)";
  return fmt::format("trials 0..{} (the study's [[enqueue]] points)", count - 1);
}

void print_run_summary(std::ostream& out, const StudyConfig& study, const RunSummary& s) {
  out << fmt::format("study '{}': {} in {:.1f} s ({} complete, {} failed, {} pruned, {} interrupted{})\n",
                     study.name, trials_text(s.trials), s.wall_seconds, s.complete, s.failed, s.pruned, s.interrupted,
                     s.retried > 0 ? fmt::format("; {} failed attempts run again", s.retried) : "");
  if (s.best)
    out << fmt::format("best trial {}: {} = {} with {}\n", s.best->id, study.metric, s.best->value,
                       format_params(study.space, *s.best));
  else
    out << "no trial completed\n";
  out << fmt::format("log: {}\n", s.log.string());
}

}  // namespace h5tune::cli
