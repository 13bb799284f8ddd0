#include "report_curves.hpp"

#include <algorithm>
#include <cmath>

#include "report_plots.hpp"

namespace h5tune::cli::report {
namespace {

/// Per-trial point counts and the extent of one metric's reports (first pass).
struct Tally {
  std::vector<std::uint32_t> points;  ///< by trial id
  std::size_t total = 0;
  std::int64_t min_step = 0, max_step = 0;
  double lo = INFINITY, hi = -INFINITY;

  void add(std::int64_t trial, std::int64_t step, double value) {
    if (points.size() <= static_cast<std::size_t>(trial)) points.resize(static_cast<std::size_t>(trial) + 1, 0);
    ++points[static_cast<std::size_t>(trial)];
    min_step = total ? std::min(min_step, step) : step;
    max_step = total ? std::max(max_step, step) : step;
    ++total;
    if (std::isfinite(value)) {
      lo = std::min(lo, value);
      hi = std::max(hi, value);
    }
  }
};

}  // namespace

Curves load_curves(const LogReader& log, const std::string& study_metric, std::size_t max_points) {
  // Pass 1: which metric, and how many points per trial.
  Tally study, first;
  std::string first_name;
  log.for_each_report([&](const Report& r) {
    if (r.trial < 0) return;
    for (const auto& m : r.metrics) {
      if (first_name.empty()) first_name = m.name;
      if (m.name == study_metric) study.add(r.trial, r.step, m.value);
      if (m.name == first_name && first_name != study_metric) first.add(r.trial, r.step, m.value);
    }
  });
  Curves out;
  const Tally& chosen = study.total ? study : first;
  if (!chosen.total) return out;
  out.metric = study.total ? study_metric : first_name;
  out.min_step = chosen.min_step;
  out.max_step = chosen.max_step;
  if (std::isfinite(chosen.lo)) out.extent = {chosen.lo, chosen.hi};

  std::vector<std::int64_t> ids;
  for (std::size_t id = 0; id < chosen.points.size(); ++id)
    if (chosen.points[id]) ids.push_back(static_cast<std::int64_t>(id));
  out.trials = ids.size();
  // Thin by trials so that about max_points points are drawn.
  const std::size_t per_curve = std::max<std::size_t>(1, chosen.total / ids.size());
  std::vector<bool> wanted(chosen.points.size(), false);
  for (std::size_t k : thin(ids.size(), std::max<std::size_t>(1, max_points / per_curve)))
    wanted[static_cast<std::size_t>(ids[k])] = true;

  // Pass 2: the points of the drawn trials only.
  log.for_each_report([&](const Report& r) {
    if (r.trial < 0 || static_cast<std::size_t>(r.trial) >= wanted.size() || !wanted[static_cast<std::size_t>(r.trial)]) return;
    if (const auto v = find_metric(r.metrics, out.metric)) out.points[r.trial].emplace_back(r.step, *v);
  });
  return out;
}

}  // namespace h5tune::cli::report
