#pragma once
// The learning curves `h5tune report` draws, read from the log in two streaming passes so
// that memory holds only the drawn curves, however many reports the log has.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "h5tune/log.hpp"

namespace h5tune::cli::report {

/// The curves of one metric: every trial's (step, value) points for an even sample of the
/// trials that reported it, and the extent of all points (for the axes).
struct Curves {
  std::string metric;               ///< the study's metric if ever reported, else the first reported one; empty: none
  std::map<std::int64_t, std::vector<std::pair<std::int64_t, double>>> points;  ///< drawn trials, by id
  std::size_t trials = 0;           ///< trials that reported `metric`
  std::int64_t min_step = 0, max_step = 1;
  std::vector<double> extent;       ///< smallest and largest finite value (empty: none); scales treat it as all values
};

/// Reads the curves of `log`, drawing about `max_points` points: an even sample of the
/// trials when there are more (`trials` - `points.size()` were left out).
Curves load_curves(const LogReader& log, const std::string& study_metric, std::size_t max_points);

}  // namespace h5tune::cli::report
