#include "strategy/tpe/tpe_axis.hpp"

#include <algorithm>
#include <cmath>

namespace h5tune::tpe {

AxisCodec::AxisCodec(const Space& space) : params_(space.parameters()) {
  for (const auto& p : params_) {
    Axis axis;
    Range range;
    switch (p.kind) {
      case ParamKind::real:
        range = p.log ? Range{std::log(p.low), std::log(p.high), true} : Range{p.low, p.high, false};
        break;
      case ParamKind::integer:
        if (p.log) {
          range = {std::log(p.low - 0.5), std::log(p.high + 0.5), true};
        } else {
          axis.kind = AxisKind::discrete;
          range = {p.low - 0.5, p.high + 0.5, false};
          axis.step = 1.0 / (p.high - p.low + 1.0);
        }
        break;
      case ParamKind::categorical:
        axis.kind = AxisKind::categorical;
        axis.choices = p.choices.size();
        break;
    }
    axes_.push_back(axis);
    ranges_.push_back(range);
  }
}

double AxisCodec::encode(std::size_t i, double value) const noexcept {
  if (axes_[i].kind == AxisKind::categorical) return value;
  const Range& r = ranges_[i];
  const double x = r.log ? std::log(value) : value;
  const double t = (x - r.low) / (r.high - r.low);
  return std::isnan(t) ? 0.0 : std::clamp(t, 0.0, 1.0);
}

double AxisCodec::decode(std::size_t i, double t) const noexcept {
  const Parameter& p = params_[i];
  if (axes_[i].kind == AxisKind::categorical)
    return std::clamp(std::floor(t), 0.0, static_cast<double>(p.choices.size() - 1));
  const Range& r = ranges_[i];
  double x = r.low + std::clamp(t, 0.0, 1.0) * (r.high - r.low);
  if (r.log) x = std::exp(x);
  if (p.kind == ParamKind::integer) x = std::round(x);
  return std::clamp(x, p.low, p.high);
}

double AxisCodec::snap(std::size_t i, double t) const noexcept {
  if (axes_[i].kind == AxisKind::continuous && params_[i].kind == ParamKind::real) return t;
  return encode(i, decode(i, t));
}

}  // namespace h5tune::tpe
