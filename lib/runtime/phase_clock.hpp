#pragma once
// Optional timing of the manager's phases (RunOptions::profile, h5tune::ManagerProfile).
//
// The clock charges the time since the last phase change to the phase that was current,
// so nested phases (a log write inside dispatching) are charged exclusively and the
// phases add up to the whole run. One steady-clock read per change when on; one branch
// when off.
#include <chrono>
#include <cstdint>
#include <type_traits>

#include "h5tune/runtime.hpp"

namespace h5tune::runtime {

enum class Phase : std::uint8_t { other, ask, serialize, messaging, wait, tell, log };

class PhaseClock {
 public:
  explicit PhaseClock(bool enabled) : enabled_(enabled) {}
  bool enabled() const noexcept { return enabled_; }

  /// Starts timing (in `Phase::other`).
  void start() noexcept {
    if (!enabled_) return;
    begun_ = last_ = clock::now();
  }

  /// Makes `phase` current; returns the phase that was.
  Phase enter(Phase phase) noexcept {
    const Phase before = current_;
    if (!enabled_) return before;
    const auto now = clock::now();
    slot(current_) += (now - last_).count();
    last_ = now;
    current_ = phase;
    return before;
  }

  /// The totals so far, with the current phase charged up to now.
  ManagerProfile profile() noexcept {
    enter(current_);
    ManagerProfile out = totals_;
    out.total_ns = (last_ - begun_).count();
    return out;
  }

 private:
  using clock = std::chrono::steady_clock;
  static_assert(std::is_same_v<clock::duration, std::chrono::nanoseconds>);

  std::int64_t& slot(Phase phase) noexcept {
    switch (phase) {
      case Phase::ask: return totals_.ask_ns;
      case Phase::serialize: return totals_.serialize_ns;
      case Phase::messaging: return totals_.messaging_ns;
      case Phase::wait: return totals_.wait_ns;
      case Phase::tell: return totals_.tell_ns;
      case Phase::log: return totals_.log_ns;
      case Phase::other: break;
    }
    return totals_.other_ns;
  }

  bool enabled_;
  Phase current_ = Phase::other;
  clock::time_point begun_{};
  clock::time_point last_{};
  ManagerProfile totals_;
};

/// Makes a phase current for a scope, then restores the one before.
class ScopedPhase {
 public:
  ScopedPhase(PhaseClock& clock, Phase phase) noexcept : clock_(clock), before_(clock.enter(phase)) {}
  ~ScopedPhase() { clock_.enter(before_); }
  ScopedPhase(const ScopedPhase&) = delete;
  ScopedPhase& operator=(const ScopedPhase&) = delete;

 private:
  PhaseClock& clock_;
  Phase before_;
};

}  // namespace h5tune::runtime
