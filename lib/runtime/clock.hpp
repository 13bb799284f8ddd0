#pragma once
#include <chrono>

namespace h5tune::runtime {

/// Wall-clock time as Unix seconds: the unit of every timestamp in the log.
inline double unix_now() noexcept {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// Monotonic seconds, for intervals and deadlines.
inline double steady_now() noexcept {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace h5tune::runtime
