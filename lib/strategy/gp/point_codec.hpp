#pragma once
// The gp strategy's input encoding: parameter values <-> points of the GP's unit cube.
#include <Eigen/Core>

#include <cstddef>
#include <vector>

#include "h5tune/space.hpp"

namespace h5tune::gp {

/// Maps parameter values to GP inputs in [0, 1]^D and back.
///
/// A float or int parameter is one coordinate, Space::to_unit of its value (so log
/// parameters are already warped, and an integer sits at the centre of its slice). A
/// categorical parameter with n choices is n coordinates, one-hot: the chosen one is 1, the
/// others 0, so every two distinct choices are equally far apart (an ordinal code would make
/// choice 0 look closer to choice 1 than to choice 2). Decoding a relaxed point (any values
/// in the cube) takes Space::from_unit of each float/int coordinate, which rounds integers,
/// and the arg-max of each categorical group, so a decoded point is always valid.
class PointCodec {
 public:
  explicit PointCodec(const Space& space);

  const Space& space() const noexcept { return space_; }
  /// Number of GP inputs D.
  Eigen::Index dims() const noexcept { return dims_; }
  /// True for the coordinates of float and int parameters (the ones gradient polishing moves).
  const std::vector<bool>& continuous() const noexcept { return continuous_; }
  /// The first GP input of parameter `i` (its only one unless it is categorical).
  Eigen::Index offset(std::size_t i) const { return offset_.at(i); }

  Eigen::VectorXd encode(const std::vector<double>& values) const;
  std::vector<double> decode(const Eigen::VectorXd& point) const;
  /// encode(decode(point)): the GP input of the valid point a relaxed point stands for.
  Eigen::VectorXd canonical(const Eigen::VectorXd& point) const { return encode(decode(point)); }
  /// The GP input of the parameter-space unit point u (one coordinate per parameter).
  Eigen::VectorXd from_space_unit(const std::vector<double>& u) const;

  /// Number of distinct points of a space of ints and categoricals only, or 0 when it has a
  /// float parameter or more than `limit` points.
  std::size_t finite_size(std::size_t limit) const noexcept;
  /// Every point of a finite space (finite_size(limit) > 0), as parameter values.
  std::vector<std::vector<double>> enumerate() const;

 private:
  Space space_;
  std::vector<Eigen::Index> offset_;  ///< first coordinate of each parameter
  std::vector<bool> continuous_;
  Eigen::Index dims_ = 0;
};

}  // namespace h5tune::gp
