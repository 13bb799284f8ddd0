#pragma once
// `h5tune show run.h5 --trial N`: everything the log knows about one trial.
#include <cstdint>
#include <ostream>

#include "h5tune/log.hpp"

namespace h5tune::cli {

/// Prints trial `id` of `log`: parameters, seed, state, timings, rank and host, message,
/// stderr tail, final metrics and its learning curve as a table (long curves keep their
/// first and last 10 steps). Throws InputError when the log has no such trial.
void print_trial(std::ostream& out, const LogReader& log, std::int64_t id);

}  // namespace h5tune::cli
