#pragma once
#include <cstddef>
#include <vector>

#include "h5tune/space.hpp"

namespace h5tune {

/// The values a grid search tries for each parameter, in increasing order:
/// every choice of a categorical; every integer of an int range with at most
/// `points_per_axis` of them, else that many distinct integers evenly spaced (in log space
/// for log ints) including both ends; `points_per_axis` evenly spaced floats including both
/// bounds (log-spaced for log floats). Requires points_per_axis >= 2.
std::vector<std::vector<double>> grid_axes(const Space& space, std::size_t points_per_axis);

}  // namespace h5tune
