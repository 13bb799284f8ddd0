#pragma once
#include <ostream>

#include "h5tune/log.hpp"

namespace h5tune::cli {

/// Prints where the best decile of the complete trials lies, parameter by parameter (the
/// range of each number, the choices seen for each categorical), the first thing to look
/// at before narrowing a search space. Two streaming passes over the trials: the values
/// first (8 bytes per complete trial), then the ranges.
void print_best_decile(std::ostream& out, const LogReader& log);

}  // namespace h5tune::cli
