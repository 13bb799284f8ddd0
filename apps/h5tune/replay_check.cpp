#include "replay_check.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>

namespace h5tune::cli {
namespace {

std::string number_text(double v) { return fmt::format("{:.10g}", v); }

double difference(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return 0.0;
  if (std::isinf(a) && a == b) return 0.0;
  return std::fabs(a - b);
}

/// metric name -> step -> value (the last report of a step wins, as in the log).
using Curves = std::map<std::string, std::map<std::int64_t, double>>;

Curves curves_of(const std::vector<Report>& reports) {
  Curves out;
  for (const auto& r : reports)
    for (const auto& m : r.metrics) out[m.name][r.step] = m.value;
  return out;
}

CheckRow curve_row(const std::string& name, const std::map<std::int64_t, double>* logged,
                   const std::map<std::int64_t, double>* replayed, const Tolerance& tolerance) {
  CheckRow row{"curve " + name, "-", "-", 0.0, true};
  auto points = [](const std::map<std::int64_t, double>* c) {
    return c ? fmt::format("{} steps", c->size()) : std::string("none");
  };
  row.logged = points(logged);
  row.replayed = points(replayed);
  if (!logged || !replayed || logged->size() != replayed->size()) {
    row.ok = false;
    row.abs_diff = TrialRecord::nan;
    return row;
  }
  for (const auto& [step, value] : *logged) {
    const auto other = replayed->find(step);
    if (other == replayed->end()) {
      row.ok = false;
      row.abs_diff = TrialRecord::nan;
      return row;
    }
    row.abs_diff = std::max(row.abs_diff, difference(value, other->second));
    row.ok = row.ok && tolerance.close(value, other->second);
  }
  return row;
}

}  // namespace

bool Tolerance::close(double logged, double replayed) const noexcept {
  if (std::isnan(logged) || std::isnan(replayed)) return std::isnan(logged) && std::isnan(replayed);
  if (std::isinf(logged) || std::isinf(replayed)) return logged == replayed;
  return std::fabs(logged - replayed) <= atol + rtol * std::fabs(logged);
}

std::vector<CheckRow> check_replay(const TrialRecord& logged, const std::vector<Report>& logged_reports,
                                   TrialState replayed_state, const Metrics& replayed_metrics,
                                   const std::vector<Report>& replayed_reports, const Tolerance& tolerance) {
  std::vector<CheckRow> rows;
  rows.push_back(CheckRow{"state", std::string(to_string(logged.state)), std::string(to_string(replayed_state)),
                          TrialRecord::nan, logged.state == replayed_state});

  std::vector<std::string> names;
  for (const auto& m : logged.metrics) names.push_back(m.name);
  for (const auto& m : replayed_metrics)
    if (std::find(names.begin(), names.end(), m.name) == names.end()) names.push_back(m.name);
  for (const auto& name : names) {
    const std::optional<double> a = find_metric(logged.metrics, name);
    const std::optional<double> b = find_metric(replayed_metrics, name);
    CheckRow row{name, a ? number_text(*a) : "missing", b ? number_text(*b) : "missing", TrialRecord::nan, false};
    if (a && b) {
      row.abs_diff = difference(*a, *b);
      row.ok = tolerance.close(*a, *b);
    }
    rows.push_back(std::move(row));
  }

  const Curves before = curves_of(logged_reports);
  const Curves after = curves_of(replayed_reports);
  for (const auto& [name, curve] : before) {
    const auto other = after.find(name);
    rows.push_back(curve_row(name, &curve, other == after.end() ? nullptr : &other->second, tolerance));
  }
  for (const auto& [name, curve] : after)
    if (!before.count(name)) rows.push_back(curve_row(name, nullptr, &curve, tolerance));
  return rows;
}

}  // namespace h5tune::cli
