#include "report_svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

namespace h5tune::cli::report {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string short_number(double v) {
  if (std::isnan(v)) return "-";
  return fmt::format("{:.4g}", v);
}

Scale::Scale(double lo_, double hi_, double px_lo_, double px_hi_, bool log_)
    : lo(lo_), hi(hi_), px_lo(px_lo_), px_hi(px_hi_), log(log_) {
  if (log && !(lo > 0 && hi > 0)) log = false;
  if (!(hi > lo)) {  // one value (or none): centre it
    const double pad = log ? 0.0 : std::max(std::fabs(lo) * 0.1, 0.5);
    if (log) {
      lo /= 2;
      hi = lo * 4;
    } else {
      lo -= pad;
      hi = lo + 2 * pad;
    }
  }
}

double Scale::operator()(double v) const {
  double t = log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
  if (!std::isfinite(t)) t = v > 0 ? 1.0 : 0.0;
  return px_lo + std::clamp(t, -0.02, 1.02) * (px_hi - px_lo);
}

std::vector<double> Scale::ticks(int count) const {
  std::vector<double> out;
  if (log && hi / lo > 10) {
    const int first = static_cast<int>(std::ceil(std::log10(lo)));
    const int last = static_cast<int>(std::floor(std::log10(hi)));
    const int step = std::max(1, (last - first + 1) / std::max(count, 1));
    for (int e = first; e <= last; e += step) out.push_back(std::pow(10.0, e));
    return out;
  }
  const double raw = (hi - lo) / std::max(count, 1);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return out;
}

std::pair<double, double> data_range(const std::vector<double>& values, bool log) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v) && (!log || v > 0)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (!std::isfinite(lo)) return {log ? 1.0 : 0.0, log ? 10.0 : 1.0};
  if (log) return {lo / 1.15, hi * 1.15};
  const double pad = (hi - lo) * 0.04;
  return {lo - pad, hi + pad};
}

bool prefers_log(const std::vector<double>& values) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    if (v <= 0) return false;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return std::isfinite(lo) && hi / lo > 1000;
}

std::string ramp_colour(double t) {
  // Stops of matplotlib's viridis at 0, 0.25, 0.5, 0.75, 1.
  static constexpr std::array<std::array<double, 3>, 5> stops{{{68, 1, 84}, {59, 82, 139}, {33, 145, 140},
                                                               {94, 201, 98}, {253, 231, 37}}};
  if (!std::isfinite(t)) t = 0;
  t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), stops.size() - 2);
  const double f = t - static_cast<double>(i);
  std::array<int, 3> rgb{};
  for (std::size_t k = 0; k < 3; ++k)
    rgb[k] = static_cast<int>(std::lround(stops[i][k] + f * (stops[i + 1][k] - stops[i][k])));
  return fmt::format("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
}

SvgPlot::SvgPlot(std::string name, double width, double height, std::string title)
    : name_(std::move(name)), width_(width), height_(height), title_(std::move(title)) {}

void SvgPlot::axes(const Scale& x, const Scale& y, std::string_view x_label, std::string_view y_label,
                   const std::vector<std::string>& x_labels) {
  std::string& s = body_;
  s += fmt::format(R"(<rect class="frame" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>)", left(), top(),
                   right() - left(), bottom() - top());
  for (double v : y.ticks()) {
    const double py = y(v);
    s += fmt::format(R"(<line class="grid" x1="{:.1f}" x2="{:.1f}" y1="{:.1f}" y2="{:.1f}"/>)", left(), right(), py, py);
    s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", left() - 4, py + 4,
                     short_number(v));
  }
  if (x_labels.empty()) {
    for (double v : x.ticks()) {
      const double px = x(v);
      s += fmt::format(R"(<line class="grid" x1="{:.1f}" x2="{:.1f}" y1="{:.1f}" y2="{:.1f}"/>)", px, px, top(), bottom());
      s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", px, bottom() + 16,
                       short_number(v));
    }
  } else {
    for (std::size_t i = 0; i < x_labels.size(); ++i)
      s += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)",
                       x(static_cast<double>(i)), bottom() + 16, escape(x_labels[i]));
  }
  s += fmt::format(R"(<text class="label" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", (left() + right()) / 2,
                   bottom() + 36, escape(x_label));
  s += fmt::format(R"svg(<text class="label" transform="translate(14 {:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg",
                   (top() + bottom()) / 2, escape(y_label));
}

std::string SvgPlot::str() const {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" data-plot="{}" width="{}" height="{}" viewBox="0 0 {} {}" role="img">)"
      R"(<text class="title" x="{}" y="18">{}</text>{}</svg>)",
      escape(name_), width_, height_, width_, height_, margin_left, escape(title_), body_);
}

}  // namespace h5tune::cli::report
