#include "report_importance.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "h5tune/seed.hpp"
#include "report_svg.hpp"

namespace h5tune::cli::report {
namespace {

/// The stream of the analysis' own randomness (the forest's bootstraps): apart from the
/// strategy's and the trials' streams, so a report never shifts what a run draws.
constexpr auto analysis_stream = SeedStream::analysis;

constexpr double grid_cells = 40;

/// Cells along a parameter's axis: one per value of a small discrete parameter, so each
/// cell centre falls in one value's slice.
std::size_t cells_for(const Parameter& p) {
  const std::size_t n = p.cardinality();
  return n > 0 && n <= static_cast<std::size_t>(grid_cells) ? n : static_cast<std::size_t>(grid_cells);
}

/// Tick positions on a unit axis: each choice's slice centre, else quarters.
std::vector<double> unit_ticks(const Parameter& p) {
  std::vector<double> out;
  const std::size_t n = p.cardinality();
  if (p.kind == ParamKind::categorical || (n > 0 && n <= 6))
    for (std::size_t k = 0; k < n; ++k) out.push_back((static_cast<double>(k) + 0.5) / static_cast<double>(n));
  else
    out = {0.0, 0.25, 0.5, 0.75, 1.0};
  return out;
}

std::string no_data(std::string name, std::string title) {
  SvgPlot plot(std::move(name), 880, 120, std::move(title));
  plot.body() += R"(<text class="label nodata" x="64" y="70">no data</text>)";
  return plot.str();
}

/// Parameters by decreasing importance (Space order among equals).
std::vector<std::size_t> ranking(const ImportanceResult& r) {
  std::vector<std::size_t> order(r.importance.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return r.importance[a] > r.importance[b]; });
  return order;
}

}  // namespace

ImportanceResult fit_importance(const ReportData& data, std::size_t min_trials) {
  const LogHeader& h = *data.header;
  ImportanceResult out;
  std::vector<std::vector<double>> units;
  std::vector<double> values;
  for (const auto& t : data.trials) {
    if (t.state != TrialState::complete || !std::isfinite(t.value) || t.values.size() != h.space.size()) continue;
    units.push_back(h.space.to_unit(t.values));
    values.push_back(t.value);
  }
  out.complete = values.size();
  if (values.size() < std::max<std::size_t>(min_trials, 2) || h.space.empty()) return out;
  ForestOptions options;
  options.seed = derive_seed(h.seed, analysis_stream, 0);
  out.forest = std::make_unique<FanovaForest>(h.space, units, values, options);
  out.importance = out.forest->importances();
  out.spread = out.forest->importance_spread();
  if (out.forest->samples() < values.size() && data.notes)
    data.notes->push_back(fmt::format("Parameter importance and contour: the forest is fitted to {} of {} complete trials (an even sample).",
                                      out.forest->samples(), values.size()));
  return out;
}

std::string importance_plot(const ReportData& data, const ImportanceResult& result) {
  const Space& space = data.header->space;
  if (!result.forest)
    return no_data("importance", fmt::format("Parameter importance: no data ({} complete trials)", result.complete));
  const auto order = ranking(result);
  const double bar = 22;
  SvgPlot plot("importance", 880, 40 + SvgPlot::margin_top + bar * static_cast<double>(order.size()),
               fmt::format("Parameter importance (fANOVA on a random forest of {} complete trials): share of the variance",
                           result.forest->samples()));
  const double left = 180, right = 820;
  std::string& s = plot.body();
  const Scale x(0, 1, left, right);
  for (double v : x.ticks())
    s += fmt::format(R"(<line class="grid" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}"/><text class="tick" x="{0:.1f}" y="{3:.1f}" text-anchor="middle">{4}</text>)",
                     x(v), plot.top(), plot.top() + bar * static_cast<double>(order.size()),
                     plot.top() + bar * static_cast<double>(order.size()) + 14, short_number(v));
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t p = order[k];
    const double y = plot.top() + bar * static_cast<double>(k);
    const double v = std::clamp(result.importance[p], 0.0, 1.0);
    s += fmt::format(R"(<text class="label" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", left - 6, y + 15,
                     escape(space[p].name));
    s += fmt::format(R"(<rect class="mark bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}: {:.3f} (sd {:.3f} over trees)</title></rect>)",
                     left, y + 3, std::max(0.5, x(v) - left), bar - 6, escape(space[p].name), result.importance[p],
                     result.spread[p]);
    s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}">{:.3f}</text>)", std::max(x(v), left) + 4, y + 15,
                     result.importance[p]);
  }
  return plot.str();
}

std::string contour_plot(const ReportData& data, const ImportanceResult& result) {
  const LogHeader& h = *data.header;
  const Space& space = h.space;
  if (!result.forest || space.size() < 2)
    return no_data("contour", space.size() < 2 ? std::string("Contour: no data (needs two parameters)")
                                               : fmt::format("Contour: no data ({} complete trials)", result.complete));
  const auto order = ranking(result);
  const std::size_t pi = order[0], pj = order[1];
  const std::size_t ni = cells_for(space[pi]), nj = cells_for(space[pj]);
  const auto grid = result.forest->marginal_grid(pi, pj, ni, nj);
  SvgPlot plot("contour", 620, 520,
               fmt::format("Contour: predicted {} over {} and {} (others averaged out; bright: best)", h.metric, space[pi].name,
                           space[pj].name));
  const Scale x(0, 1, plot.left(), plot.right());
  const Scale y(0, 1, plot.bottom(), plot.top());
  const auto [lo, hi] = std::minmax_element(grid.begin(), grid.end());
  const double span = *hi - *lo;
  std::string& s = plot.body();
  for (std::size_t a = 0; a < ni; ++a)
    for (std::size_t b = 0; b < nj; ++b) {
      const double v = grid[a * nj + b];
      double t = span > 0 ? (v - *lo) / span : 0.5;
      if (data.minimize) t = 1 - t;
      const double x0 = x(static_cast<double>(a) / static_cast<double>(ni)), x1 = x(static_cast<double>(a + 1) / static_cast<double>(ni));
      const double y0 = y(static_cast<double>(b + 1) / static_cast<double>(nj)), y1 = y(static_cast<double>(b) / static_cast<double>(nj));
      s += fmt::format(R"(<rect class="cell" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{}</title></rect>)",
                       x0, y0, x1 - x0 + 0.3, y1 - y0 + 0.3, ramp_colour(t), short_number(v));
    }
  s += fmt::format(R"(<rect class="frame" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>)", plot.left(), plot.top(),
                   plot.right() - plot.left(), plot.bottom() - plot.top());
  for (double u : unit_ticks(space[pi]))
    s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", x(u), plot.bottom() + 16,
                     escape(space.format(pi, space.from_unit(pi, u))));
  for (double u : unit_ticks(space[pj]))
    s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", plot.left() - 4, y(u) + 4,
                     escape(space.format(pj, space.from_unit(pj, u))));
  s += fmt::format(R"(<text class="label" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", (plot.left() + plot.right()) / 2,
                   plot.bottom() + 36, escape(space[pi].name + (space[pi].log ? " (log scale)" : "")));
  s += fmt::format(R"svg(<text class="label" transform="translate(14 {:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg",
                   (plot.top() + plot.bottom()) / 2, escape(space[pj].name + (space[pj].log ? " (log scale)" : "")));

  std::vector<std::size_t> complete;
  for (std::size_t i = 0; i < data.trials.size(); ++i) {
    const auto& t = data.trials[i];
    if (t.state == TrialState::complete && std::isfinite(t.value) && t.values.size() == space.size()) complete.push_back(i);
  }
  const auto shown = thin(complete.size(), data.max_points);
  if (shown.size() < complete.size() && data.notes)
    data.notes->push_back(fmt::format("Contour: {} of {} complete trials drawn (an even sample).", shown.size(), complete.size()));
  for (std::size_t k : shown) {
    const auto& t = data.trials[complete[k]];
    s += fmt::format(R"(<circle class="mark point" cx="{:.1f}" cy="{:.1f}" r="2.5"><title>trial {}: {}={}, {}={}, {}</title></circle>)",
                     x(space.to_unit(pi, t.values[pi])), y(space.to_unit(pj, t.values[pj])), t.id, escape(space[pi].name),
                     escape(space.format(pi, t.values[pi])), escape(space[pj].name), escape(space.format(pj, t.values[pj])),
                     short_number(t.value));
  }
  return plot.str();
}

}  // namespace h5tune::cli::report
