#pragma once
#include "runtime/clock.hpp"

namespace h5tune::runtime {

/// The clocks the manager reads: Unix seconds for the log's timestamps, monotonic seconds
/// for its time budget, flush pacing and progress. The default is the machine's clocks; a
/// simulation (virtual_transport.hpp) substitutes its virtual clock, so a simulated run's
/// budget, flushes and log times follow simulated time and rank 0 never waits for real.
class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual double unix_now() const noexcept = 0;
  virtual double steady_now() const noexcept = 0;
};

/// The machine's clocks (clock.hpp).
class WallTimeSource final : public TimeSource {
 public:
  double unix_now() const noexcept override { return runtime::unix_now(); }
  double steady_now() const noexcept override { return runtime::steady_now(); }
};

/// The shared default TimeSource.
inline const TimeSource& wall_time() noexcept {
  static const WallTimeSource source;
  return source;
}

}  // namespace h5tune::runtime
