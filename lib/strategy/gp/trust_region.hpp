#pragma once
// The gp strategy's trust region: where the acquisition is searched once the design is done.
#include <Eigen/Core>

#include <cstddef>
#include <vector>

#include "strategy/gp/acquisition_search.hpp"
#include "strategy/gp/point_codec.hpp"

namespace h5tune::gp {

/// TuRBO's rule for the side length L of the trust region (Eriksson et al., "Scalable global
/// optimization via local Bayesian optimization", NeurIPS 2019), with one change: when L falls
/// below `min_length` the region grows back to `initial` around the same incumbent instead of
/// restarting the design, since the model keeps every observation.
struct TrustRegionRule {
  double initial = 0.8;            ///< L after the initial design, in units of the unit cube
  double min_length = 0x1.0p-7;    ///< below it, L restarts at `initial`
  double max_length = 1.6;         ///< L never grows beyond it
  std::size_t success_tolerance = 3;  ///< improvements in a row that double L
  std::size_t failure_tolerance = 5;  ///< non-improvements in a row that halve L
};

/// L after the observations `values` (smaller is better, in the order they were told), the
/// first `design` of them being the initial design: each later value that improves on the
/// best so far by more than 1e-3 of its magnitude is a success, any other a failure.
/// A pure function of the values, so a restored checkpoint needs nothing more.
double trust_region_length(const std::vector<double>& values, std::size_t design, const TrustRegionRule& rule);

/// The box of side L around `center` (a GP input), stretched per float/int coordinate by its
/// length scale (log length scales in theta's first entries): side_j = L w_j with w_j the
/// length scale over the geometric mean of the float/int length scales; clipped to the cube.
/// An integer's side is widened, when needed, to reach the centres of its two neighbours,
/// so a small box cannot freeze it (as with every box below).
SearchBox trust_region_box(const PointCodec& codec, const Eigen::VectorXd& center, const Eigen::VectorXd& theta,
                           double length);

/// The global profile's search box: side `side` on every float/int coordinate around
/// `center`, the same in each (no length-scale stretch, so an important parameter keeps room
/// to follow a categorical switch that moves its optimum), clipped to the cube.
SearchBox search_box(const PointCodec& codec, const Eigen::VectorXd& center, double side);

/// Values told in a row, at the end of `values`, since the last one that beat every value
/// before it (0 when the last one did; the first value counts as an improvement).
std::size_t results_since_improvement(const std::vector<double>& values);

}  // namespace h5tune::gp
