#include "report_lineage.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "report_svg.hpp"

namespace h5tune::cli::report {

std::optional<std::string> lineage_plot(const ReportData& data) {
  const auto& trials = data.trials;  // trials[i].id == i
  const std::size_t n = trials.size();
  // Generation and member (root of the chain) of every trial; a parent always has a smaller
  // id than its child, so one pass in id order sees parents first.
  std::vector<std::int64_t> generation(n, 0), root(n);
  bool any_parent = false;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t p = trials[i].parent;
    root[i] = static_cast<std::int64_t>(i);
    if (p >= 0 && static_cast<std::size_t>(p) < i) {
      generation[i] = generation[static_cast<std::size_t>(p)] + 1;
      root[i] = root[static_cast<std::size_t>(p)];
      any_parent = true;
    }
  }
  if (!any_parent) return std::nullopt;

  const LogHeader& h = *data.header;
  std::vector<double> values;
  std::size_t best = n;
  for (std::size_t i = 0; i < n; ++i) {
    if (trials[i].state != TrialState::complete || !std::isfinite(trials[i].value)) continue;
    values.push_back(trials[i].value);
    if (best == n || (data.minimize ? trials[i].value < trials[best].value : trials[i].value > trials[best].value)) best = i;
  }
  const double max_generation = static_cast<double>(*std::max_element(generation.begin(), generation.end()));
  SvgPlot plot("lineage", 880, 380, fmt::format("PBT lineage: {} per segment and generation (orange: the best trial's ancestry)", h.metric));
  const bool log_y = prefers_log(values);
  const auto [ylo, yhi] = data_range(values, log_y);
  const Scale x(-0.5, std::max(max_generation, 1.0) + 0.5, plot.left(), plot.right());
  const Scale y(ylo, yhi, plot.bottom(), plot.top(), log_y);
  plot.axes(x, y, "generation", h.metric + (log_y ? " (log scale)" : ""));
  const auto py = [&](std::size_t i) {
    return trials[i].state == TrialState::complete && std::isfinite(trials[i].value) ? y(trials[i].value) : plot.top() + 6;
  };
  const auto px = [&](std::size_t i) { return x(static_cast<double>(generation[i])); };
  std::vector<std::int64_t> roots(root.begin(), root.end());
  std::sort(roots.begin(), roots.end());
  roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
  const auto colour = [&](std::size_t i) {
    const auto at = std::lower_bound(roots.begin(), roots.end(), root[i]) - roots.begin();
    return ramp_colour(roots.size() > 1 ? static_cast<double>(at) / static_cast<double>(roots.size() - 1) : 0.5);
  };

  const auto shown = thin(n, data.max_points);
  if (shown.size() < n && data.notes)
    data.notes->push_back(fmt::format("PBT lineage: {} of {} trials drawn (an even sample).", shown.size(), n));
  std::string& s = plot.body();
  for (std::size_t i : shown)
    if (const std::int64_t p = trials[i].parent; p >= 0 && static_cast<std::size_t>(p) < i)
      s += fmt::format(R"(<line class="link" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}"/>)",
                       px(static_cast<std::size_t>(p)), py(static_cast<std::size_t>(p)), px(i), py(i), colour(i));
  for (std::size_t i : shown)
    s += fmt::format(R"(<circle class="mark" cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"><title>trial {} ({}), parent {}, generation {}: {}</title></circle>)",
                     px(i), py(i), colour(i), trials[i].id, to_string(trials[i].state), trials[i].parent, generation[i],
                     short_number(trials[i].value));
  if (best < n) {
    std::string points;
    for (std::size_t i = best;; i = static_cast<std::size_t>(trials[i].parent)) {
      points = fmt::format("{:.1f},{:.1f} ", px(i), py(i)) + points;
      if (trials[i].parent < 0 || static_cast<std::size_t>(trials[i].parent) >= i) break;
    }
    s += fmt::format(R"(<polyline class="best" points="{}"><title>ancestry of the best trial {}</title></polyline>)", points,
                     trials[best].id);
  }
  return plot.str();
}

}  // namespace h5tune::cli::report
