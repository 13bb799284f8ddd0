#include "report_plots.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "report_svg.hpp"

namespace h5tune::cli::report {
namespace {

constexpr double plot_width = 880, plot_height = 380;

void note(const ReportData& data, std::string text) {
  if (data.notes) data.notes->push_back(std::move(text));
}

bool better(const ReportData& data, double a, double b) { return data.minimize ? a < b : a > b; }

/// Ids of the trials that improved the best value, in id order.
std::vector<std::size_t> improvements(const ReportData& data) {
  std::vector<std::size_t> out;
  double best = NAN;
  for (std::size_t i = 0; i < data.trials.size(); ++i) {
    const auto& t = data.trials[i];
    if (t.state != TrialState::complete || !std::isfinite(t.value)) continue;
    if (std::isnan(best) || better(data, t.value, best)) {
      best = t.value;
      out.push_back(i);
    }
  }
  return out;
}

std::vector<double> complete_values(const ReportData& data) {
  std::vector<double> out;
  for (const auto& t : data.trials)
    if (t.state == TrialState::complete) out.push_back(t.value);
  return out;
}

/// Marks an empty plot, so a study without data still renders every section.
void say_no_data(SvgPlot& plot, std::string_view what) {
  plot.body() += fmt::format(R"(<text class="label nodata" x="{:.1f}" y="{:.1f}" text-anchor="middle">no data ({})</text>)",
                             (plot.left() + plot.right()) / 2, (plot.top() + plot.bottom()) / 2, what);
}

std::string cross(double x, double y, double r, std::string_view cls, std::string_view title) {
  return fmt::format(R"(<path class="{}" d="M{:.1f} {:.1f}l{:.1f} {:.1f}m0 {:.1f}l{:.1f} {:.1f}"><title>{}</title></path>)", cls,
                     x - r, y - r, 2 * r, 2 * r, -2 * r, -2 * r, 2 * r, title);
}

/// A fixed offset in [-0.3, 0.3] per trial id (golden-ratio sequence): spreads categorical points.
double spread(std::int64_t id) {
  const double f = std::fmod(static_cast<double>(id) * 0.6180339887498949, 1.0);
  return (f - 0.5) * 0.6;
}

/// Position of a parameter value on its own axis, in [0, 1] (bounds of the space).
double unit_position(const Parameter& p, double v) {
  if (p.kind == ParamKind::categorical)
    return p.choices.size() > 1 ? v / static_cast<double>(p.choices.size() - 1) : 0.5;
  if (p.log && p.low > 0 && v > 0) return (std::log(v) - std::log(p.low)) / (std::log(p.high) - std::log(p.low));
  return p.high > p.low ? (v - p.low) / (p.high - p.low) : 0.5;
}

std::string param_text(const Space& space, const TrialRecord& t) {
  std::string out;
  for (std::size_t i = 0; i < space.size() && i < t.values.size(); ++i)
    out += fmt::format("{}{}={}", i ? ", " : "", space[i].name, space.format(i, t.values[i]));
  return out;
}

}  // namespace

std::vector<std::size_t> thin(std::size_t n, std::size_t limit, const std::vector<std::size_t>& keep) {
  std::vector<std::size_t> out;
  if (n <= limit || limit == 0) {
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = i;
    return out;
  }
  const std::size_t stride = (n + limit - 1) / limit;
  for (std::size_t i = 0; i < n; i += stride) out.push_back(i);
  for (std::size_t k : keep)
    if (k < n) out.push_back(k);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string history_plot(const ReportData& data) {
  const LogHeader& h = *data.header;
  SvgPlot plot("history", plot_width, plot_height, fmt::format("Optimization history: {} per trial", h.metric));
  const auto values = complete_values(data);
  const bool log_y = prefers_log(values);
  const auto [ylo, yhi] = data_range(values, log_y);
  const double max_id = data.trials.empty() ? 1.0 : static_cast<double>(data.trials.back().id);
  const Scale x(-0.5, std::max(max_id, 1.0) + 0.5, plot.left(), plot.right());
  const Scale y(ylo, yhi, plot.bottom(), plot.top(), log_y);
  plot.axes(x, y, "trial", h.metric + (log_y ? " (log scale)" : ""));

  if (data.trials.empty()) say_no_data(plot, "no trials");
  const auto improved = improvements(data);
  const auto shown = thin(data.trials.size(), data.max_points, improved);
  if (shown.size() < data.trials.size())
    note(data, fmt::format("Optimization history: {} of {} trials drawn (an even sample plus every improvement).",
                           shown.size(), data.trials.size()));
  std::string& s = plot.body();
  for (std::size_t i : shown) {
    const auto& t = data.trials[i];
    const std::string state(to_string(t.state));
    const std::string title = fmt::format("trial {} {}: {}", t.id, state, short_number(t.value));
    const double px = x(static_cast<double>(t.id));
    if (t.state == TrialState::complete && std::isfinite(t.value))
      s += fmt::format(R"(<circle class="mark state-complete" cx="{:.1f}" cy="{:.1f}" r="3"><title>{}</title></circle>)", px,
                       y(t.value), escape(title));
    else if (t.state == TrialState::failed || t.state == TrialState::pruned || t.state == TrialState::interrupted)
      s += cross(px, plot.top() + 6, 3, "mark state-" + state, escape(title + " " + t.message));
    else
      s += fmt::format(R"(<circle class="mark state-{}" cx="{:.1f}" cy="{:.1f}" r="3"><title>{}</title></circle>)", state,
                       px, plot.top() + 6, escape(title));
  }
  // Best so far: a step line through every improvement, drawn to the last trial.
  if (!improved.empty()) {
    std::string points;
    double best = NAN;
    for (std::size_t i : improved) {
      const auto& t = data.trials[i];
      const double px = x(static_cast<double>(t.id));
      if (!std::isnan(best)) points += fmt::format("{:.1f},{:.1f} ", px, y(best));
      best = t.value;
      points += fmt::format("{:.1f},{:.1f} ", px, y(best));
    }
    points += fmt::format("{:.1f},{:.1f}", x(max_id), y(best));
    s += fmt::format(R"(<polyline class="best" points="{}"><title>best so far</title></polyline>)", points);
  }
  return plot.str();
}

std::vector<std::string> slice_plots(const ReportData& data) {
  const LogHeader& h = *data.header;
  const auto values = complete_values(data);
  const bool log_y = prefers_log(values);
  const auto [ylo, yhi] = data_range(values, log_y);
  std::vector<std::size_t> complete;
  for (std::size_t i = 0; i < data.trials.size(); ++i)
    if (data.trials[i].state == TrialState::complete) complete.push_back(i);
  const auto shown = thin(complete.size(), data.max_points);
  if (shown.size() < complete.size())
    note(data, fmt::format("Slice plots: {} of {} complete trials drawn (an even sample).", shown.size(), complete.size()));
  const double max_id = data.trials.empty() ? 1.0 : std::max(1.0, static_cast<double>(data.trials.back().id));

  std::vector<std::string> out;
  for (std::size_t p = 0; p < h.space.size(); ++p) {
    const Parameter& param = h.space[p];
    SvgPlot plot("slice-" + param.name, 430, 300, "Slice: " + param.name);
    const bool categorical = param.kind == ParamKind::categorical;
    Scale x = categorical ? Scale(-0.5, static_cast<double>(param.choices.size()) - 0.5, plot.left(), plot.right())
                          : Scale(param.low, param.high, plot.left(), plot.right(), param.log);
    if (!categorical && !param.log) {
      const double pad = (param.high - param.low) * 0.03;
      x = Scale(param.low - pad, param.high + pad, plot.left(), plot.right());
    }
    const Scale y(ylo, yhi, plot.bottom(), plot.top(), log_y);
    plot.axes(x, y, param.name + (param.log ? " (log scale)" : ""), h.metric, categorical ? param.choices : std::vector<std::string>{});
    if (complete.empty()) say_no_data(plot, "no complete trials");
    std::string& s = plot.body();
    for (std::size_t k : shown) {
      const auto& t = data.trials[complete[k]];
      if (p >= t.values.size() || std::isnan(t.values[p])) continue;
      const double v = categorical ? t.values[p] + spread(t.id) : t.values[p];
      s += fmt::format(R"(<circle class="mark" cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"><title>trial {}: {}={}, {}</title></circle>)",
                       x(v), y(t.value), ramp_colour(static_cast<double>(t.id) / max_id), t.id, escape(param.name),
                       escape(h.space.format(p, t.values[p])), short_number(t.value));
    }
    out.push_back(plot.str());
  }
  return out;
}

std::string parallel_plot(const ReportData& data) {
  const LogHeader& h = *data.header;
  const Space& space = h.space;
  SvgPlot plot("parallel", plot_width, plot_height + 40, "Parallel coordinates (bright: best)");
  std::vector<std::size_t> complete;
  for (std::size_t i = 0; i < data.trials.size(); ++i)
    if (data.trials[i].state == TrialState::complete) complete.push_back(i);
  // Worst first so the best lines are drawn on top.
  std::sort(complete.begin(), complete.end(), [&](std::size_t a, std::size_t b) {
    return better(data, data.trials[b].value, data.trials[a].value);
  });
  const std::size_t keep_best = std::min<std::size_t>(complete.size(), 100);
  std::vector<std::size_t> best_positions;
  for (std::size_t k = complete.size() - keep_best; k < complete.size(); ++k) best_positions.push_back(k);
  const auto shown = thin(complete.size(), data.max_points, best_positions);
  if (shown.size() < complete.size())
    note(data, fmt::format("Parallel coordinates: {} of {} complete trials drawn (an even sample plus the best 100).",
                           shown.size(), complete.size()));

  const auto values = complete_values(data);
  const bool log_y = prefers_log(values);
  const auto [vlo, vhi] = data_range(values, log_y);
  const Scale objective(vlo, vhi, 0.0, 1.0, log_y);
  const std::size_t axes = space.size() + 1;
  const double step = axes > 1 ? (plot.right() - plot.left() - 40) / static_cast<double>(axes - 1) : 0;
  auto axis_x = [&](std::size_t a) { return plot.left() + 20 + step * static_cast<double>(a); };
  auto axis_y = [&](double unit) { return plot.bottom() - std::clamp(unit, 0.0, 1.0) * (plot.bottom() - plot.top()); };

  if (complete.empty()) say_no_data(plot, "no complete trials");
  std::string& s = plot.body();
  for (std::size_t k : shown) {
    const auto& t = data.trials[complete[k]];
    std::string points;
    for (std::size_t a = 0; a + 1 < axes; ++a) {
      const double v = a < t.values.size() ? t.values[a] : NAN;
      points += fmt::format("{:.1f},{:.1f} ", axis_x(a), std::isnan(v) ? plot.bottom() : axis_y(unit_position(space[a], v)));
    }
    const double u = (objective(t.value) - objective.px_lo) / (objective.px_hi - objective.px_lo);
    points += fmt::format("{:.1f},{:.1f}", axis_x(axes - 1), axis_y(u));
    const double rank = complete.size() > 1 ? static_cast<double>(k) / static_cast<double>(complete.size() - 1) : 1.0;
    s += fmt::format(R"(<polyline class="mark line" points="{}" stroke="{}"><title>trial {}: {} ({})</title></polyline>)",
                     points, ramp_colour(rank), t.id, short_number(t.value), escape(param_text(space, t)));
  }
  for (std::size_t a = 0; a < axes; ++a) {
    const double px = axis_x(a);
    const bool is_objective = a + 1 == axes;
    const std::string name = is_objective ? h.metric : space[a].name;
    std::string low, high;
    if (is_objective) {
      low = short_number(vlo);
      high = short_number(vhi);
    } else if (space[a].kind == ParamKind::categorical) {
      low = space[a].choices.empty() ? "" : space[a].choices.front();
      high = space[a].choices.empty() ? "" : space[a].choices.back();
    } else {
      low = short_number(space[a].low);
      high = short_number(space[a].high);
    }
    s += fmt::format(R"(<line class="axis" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}"/>)", px, plot.top(), plot.bottom());
    s += fmt::format(R"(<text class="label" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", px, plot.bottom() + 34,
                     escape(name));
    s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", px, plot.bottom() + 16,
                     escape(low));
    s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", px, plot.top() - 4,
                     escape(high));
  }
  return plot.str();
}

std::string curves_plot(const ReportData& data) {
  const Curves& c = data.curves;
  const std::string& metric = c.metric;
  SvgPlot plot("curves", plot_width, plot_height,
               metric.empty() ? std::string("Learning curves (no trial reported intermediate values)")
                              : fmt::format("Learning curves: {} per step (red cross: pruned)", metric));
  const bool log_y = prefers_log(c.extent);
  const auto [ylo, yhi] = data_range(c.extent, log_y);
  const Scale x(static_cast<double>(c.min_step), static_cast<double>(std::max(c.max_step, c.min_step + 1)), plot.left(),
                plot.right());
  const Scale y(ylo, yhi, plot.bottom(), plot.top(), log_y);
  plot.axes(x, y, "step", metric + (log_y ? " (log scale)" : ""));
  if (metric.empty()) say_no_data(plot, "no reports");
  if (c.points.size() < c.trials)
    note(data, fmt::format("Learning curves: {} of {} trials drawn (an even sample).", c.points.size(), c.trials));
  std::string& s = plot.body();
  for (auto [id, points] : c.points) {
    std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const TrialState state = id >= 0 && static_cast<std::size_t>(id) < data.trials.size()
                                 ? data.trials[static_cast<std::size_t>(id)].state
                                 : TrialState::running;
    // A NaN or infinite report has no place on the axis: the curve breaks there, one
    // polyline per run of finite values, and ends at the last finite one.
    std::vector<std::string> runs(1);
    for (const auto& [step, v] : points) {
      if (!std::isfinite(v)) {
        if (!runs.back().empty()) runs.emplace_back();
        continue;
      }
      runs.back() += fmt::format("{:.1f},{:.1f} ", x(static_cast<double>(step)), y(v));
    }
    const std::string state_name(to_string(state));
    for (const auto& run : runs)
      if (!run.empty())
        s += fmt::format(R"(<polyline class="curve state-{}" points="{}"><title>trial {} ({})</title></polyline>)",
                         state_name, run, id, state_name);
    const auto last = std::find_if(points.rbegin(), points.rend(), [](const auto& p) { return std::isfinite(p.second); });
    if (last == points.rend()) continue;
    const auto& [last_step, last_value] = *last;
    if (state == TrialState::pruned)
      s += cross(x(static_cast<double>(last_step)), y(last_value), 4, "mark pruned",
                 fmt::format("trial {} pruned at step {}", id, last_step));
    else
      s += fmt::format(R"(<circle class="mark end state-{}" cx="{:.1f}" cy="{:.1f}" r="2"><title>trial {} step {}: {}</title></circle>)",
                       state_name, x(static_cast<double>(last_step)), y(last_value), id, last_step, short_number(last_value));
  }
  return plot.str();
}

Timeline timeline_plot(const ReportData& data) {
  Timeline out;
  struct Bar {
    double start, end;
    TrialState state;
    std::int64_t id;
  };
  std::map<int, std::vector<Bar>> by_rank;
  double t0 = INFINITY, t1 = -INFINITY;
  for (const auto& t : data.trials) {
    for (double v : {t.t_created, t.t_started, t.t_finished})
      if (std::isfinite(v)) t1 = std::max(t1, v);
    if (!std::isfinite(t.t_started) || t.rank < 0) continue;
    t0 = std::min(t0, t.t_started);
    by_rank[t.rank].push_back(Bar{t.t_started, t.t_finished, t.state, t.id});
  }
  out.ranks = by_rank.size();
  const double rows = std::max<double>(1.0, static_cast<double>(by_rank.size()));
  SvgPlot plot("timeline", plot_width, std::min(120.0 + 26.0 * rows, 900.0), "Worker timeline (bars: trials by rank)");
  if (by_rank.empty()) {
    out.utilization = NAN;
    plot.body() += R"(<text class="tick" x="80" y="60">no trial has started</text>)";
    out.svg = plot.str();
    return out;
  }
  out.span_seconds = std::max(t1 - t0, 0.0);
  const Scale x(0.0, std::max(out.span_seconds, 1e-3), plot.left(), plot.right());
  const double band = (plot.bottom() - plot.top()) / rows;
  std::size_t total_bars = 0;
  for (const auto& [rank, bars] : by_rank) total_bars += bars.size();
  const bool merge = total_bars > data.max_points;
  if (merge) note(data, fmt::format("Worker timeline: {} trials; bars closer than a pixel are merged.", total_bars));
  const double pixel_seconds = out.span_seconds / (plot.right() - plot.left());

  // Axes by hand: the y axis names ranks, not numbers.
  std::string& s = plot.body();
  s += fmt::format(R"(<rect class="frame" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>)", plot.left(), plot.top(),
                   plot.right() - plot.left(), plot.bottom() - plot.top());
  for (double v : x.ticks()) {
    const double px = x(v);
    s += fmt::format(R"(<line class="grid" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}"/>)", px, plot.top(), plot.bottom());
    s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", px, plot.bottom() + 16,
                     short_number(v));
  }
  s += fmt::format(R"(<text class="label" x="{:.1f}" y="{:.1f}" text-anchor="middle">seconds since the first start</text>)",
                   (plot.left() + plot.right()) / 2, plot.bottom() + 36);

  double busy_total = 0;
  std::size_t row = 0;
  for (auto& [rank, bars] : by_rank) {
    std::sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.start < b.start; });
    const double top = plot.top() + band * static_cast<double>(row) + band * 0.15;
    const double height = band * 0.7;
    double busy = 0;
    std::vector<Bar> drawn;
    for (const auto& b : bars) {
      Bar bar = b;
      if (!std::isfinite(bar.end)) bar.end = t1;  // still running: up to the latest time the log knows
      busy += std::max(0.0, bar.end - bar.start);
      if (merge && !drawn.empty() && bar.start - drawn.back().end < pixel_seconds) {
        drawn.back().end = std::max(drawn.back().end, bar.end);
        drawn.back().id = -1;  // a merged bar
      } else {
        drawn.push_back(bar);
      }
    }
    busy_total += busy;
    const double rank_utilization = out.span_seconds > 0 ? busy / out.span_seconds : 1.0;
    for (const auto& b : drawn) {
      const double px = x(b.start - t0);
      const double width = std::max(0.6, x(b.end - t0) - px);
      const std::string state = b.id < 0 ? std::string("merged") : std::string(to_string(b.state));
      s += fmt::format(R"(<rect class="mark bar state-{}" x="{:.2f}" y="{:.1f}" width="{:.2f}" height="{:.1f}"><title>{}</title></rect>)",
                       state, px, top, width, height,
                       b.id < 0 ? std::string("several trials")
                                : fmt::format("trial {} on rank {}: {:.3g} s, {}", b.id, rank, b.end - b.start, state));
    }
    // The rank's utilization under its name, left of the bars, where no bar can hide it.
    s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="end">rank {}</text>)", plot.left() - 4,
                     top + height / 2, rank);
    s += fmt::format(R"(<text class="tick util" x="{:.1f}" y="{:.1f}" text-anchor="end">{:.0f}%</text>)", plot.left() - 4,
                     top + height / 2 + 11, 100 * rank_utilization);
    ++row;
  }
  out.utilization = out.span_seconds > 0 ? busy_total / (static_cast<double>(out.ranks) * out.span_seconds) : 1.0;
  out.svg = plot.str();
  return out;
}

}  // namespace h5tune::cli::report
