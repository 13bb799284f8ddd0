#pragma once
// The coordinates TPE's Parzen estimators live in: Optuna's parameter ranges (the value,
// its log, an integer range widened by half a step at each end) rescaled to [0, 1], so
// bandwidths are fractions of the range. Rescaling is affine, so the ratio l(x)/g(x) and
// every decision are the same as in Optuna's unscaled coordinates.
#include <cstddef>
#include <vector>

#include "h5tune/space.hpp"

namespace h5tune::tpe {

/// How a Parzen estimator treats one coordinate.
enum class AxisKind : unsigned char {
  continuous,   ///< float, log float, log int (Optuna: kernels on log(value))
  discrete,     ///< int: a value owns the slice of width `step` around it
  categorical,  ///< the choice index; kernels are weighted counts, not normals
};

struct Axis {
  AxisKind kind = AxisKind::continuous;
  double step = 0.0;          ///< discrete: slice width in coordinates, 1 / (high - low + 1)
  std::size_t choices = 0;    ///< categorical: number of choices
};

/// Maps parameter values to TPE coordinates and back, one Axis per parameter of a Space.
class AxisCodec {
 public:
  explicit AxisCodec(const Space& space);

  const std::vector<Axis>& axes() const noexcept { return axes_; }
  std::size_t size() const noexcept { return axes_.size(); }

  /// Coordinate of a value of parameter i: in [0, 1] (clamped), or the choice index.
  double encode(std::size_t i, double value) const noexcept;
  /// The parameter value at coordinate t, rounded for integers and clamped to the bounds.
  double decode(std::size_t i, double t) const noexcept;
  /// The coordinate of the value decode(i, t): integers snap to their value's coordinate
  /// (the slice centre, or log(value) for log ints, as Optuna evaluates them).
  double snap(std::size_t i, double t) const noexcept;

 private:
  struct Range {
    double low = 0.0, high = 1.0;  ///< in the transformed (log or widened) scale
    bool log = false;
  };
  std::vector<Parameter> params_;
  std::vector<Axis> axes_;
  std::vector<Range> ranges_;
};

}  // namespace h5tune::tpe
