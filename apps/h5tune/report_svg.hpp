#pragma once
// The little SVG toolkit `h5tune report` draws with: scales, ticks, colours, a plot frame.
// Everything is computed here and written as inline SVG, so the page needs no script and
// no network.
#include <string>
#include <string_view>
#include <vector>

namespace h5tune::cli::report {

/// Text made safe for HTML and SVG element content and attribute values.
std::string escape(std::string_view text);

/// A number in few characters, for labels and tooltips ("0.00123", "1.5e+06").
std::string short_number(double v);

/// Maps data values [lo, hi] onto pixels [px_lo, px_hi], linearly or in log10 space.
/// A degenerate range (lo == hi) is widened so every value still lands inside.
struct Scale {
  Scale() = default;
  Scale(double lo, double hi, double px_lo, double px_hi, bool log = false);
  double operator()(double v) const;
  /// About `count` round tick values inside the range (1, 2, 5 times a power of ten;
  /// powers of ten on a log scale spanning more than a decade).
  std::vector<double> ticks(int count = 5) const;

  double lo = 0.0, hi = 1.0, px_lo = 0.0, px_hi = 1.0;
  bool log = false;
};

/// The range of the finite (and, for a log scale, positive) values, padded by 4 % each side
/// on a linear scale. {0, 1} when there is none.
std::pair<double, double> data_range(const std::vector<double>& values, bool log);

/// True when positive values spanning more than three decades read better on a log axis.
bool prefers_log(const std::vector<double>& values);

/// A colour of the viridis-like ramp for t in [0, 1] ("#rrggbb").
std::string ramp_colour(double t);

/// One plot: an <svg data-plot="name"> with a title, a plotting area and axes. Marks are
/// appended as raw SVG to `body`.
class SvgPlot {
 public:
  static constexpr double margin_left = 64, margin_right = 16, margin_top = 28, margin_bottom = 44;

  SvgPlot(std::string name, double width, double height, std::string title);
  double left() const noexcept { return margin_left; }
  double right() const noexcept { return width_ - margin_right; }
  double top() const noexcept { return margin_top; }
  double bottom() const noexcept { return height_ - margin_bottom; }

  /// Draws both axes with ticks and labels; `x_labels`, when given, replaces the x tick
  /// labels at positions 0, 1, ... (categorical axes).
  void axes(const Scale& x, const Scale& y, std::string_view x_label, std::string_view y_label,
            const std::vector<std::string>& x_labels = {});
  std::string& body() noexcept { return body_; }
  /// The finished <svg> element.
  std::string str() const;

 private:
  std::string name_;
  double width_, height_;
  std::string title_;
  std::string body_;
};

}  // namespace h5tune::cli::report
