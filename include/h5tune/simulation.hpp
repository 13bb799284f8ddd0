#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>

#include "h5tune/runtime.hpp"
#include "h5tune/study.hpp"

namespace h5tune {

/// What to simulate (`h5tune simulate`): a study's real rank 0 (manager, strategy, log)
/// against `workers` simulated workers on a virtual clock (docs/architecture.md).
struct SimulationOptions {
  int workers = 256;                    ///< W, at least 1
  std::optional<std::int64_t> trials;   ///< trials to run; default 20 × W
  double duration_median_seconds = 30.0;  ///< median trial duration (log-normal)
  double duration_sigma = 0.5;          ///< sigma of log(duration); 0: every trial lasts the median
  /// Rank 0's cost per message sent or received, added to its measured compute: the MPI
  /// transport's cost per message on the benchmark machine (docs/benchmarks.md, Dispatch).
  double message_seconds = 2e-6;
  /// Charge rank 0's wall time instead of its thread CPU time (which ignores other
  /// processes competing for the cores, but also time rank 0 spends blocked in I/O).
  bool charge_wall_time = false;
  /// Where the log goes; none: a temporary file, removed afterwards (the log is still
  /// written, as its cost is part of rank 0's).
  std::optional<std::filesystem::path> log;
  bool overwrite = false;               ///< replace an existing `log`
  std::optional<std::uint64_t> seed;    ///< replaces the study's seed
  /// SIGINT/SIGTERM end the simulation early, as they end a run: running trials are
  /// interrupted and the report covers the run so far (SimulationReport::stopped_by_signal).
  bool stop_on_signal = false;
  int verbosity = 0;                    ///< manager progress output (RunOptions::verbosity)
  std::ostream* out = nullptr;          ///< progress output, default std::cerr
  /// For tests: rank 0's compute clock in seconds (monotonic), replacing the measured one.
  std::function<double()> compute_clock;
};

/// A simulated run's figures. Virtual seconds unless named real.
struct SimulationReport {
  int workers = 0;
  std::int64_t trials = 0;            ///< trials finished
  std::int64_t complete = 0;
  double makespan_seconds = 0.0;      ///< from the start until rank 0 stopped the workers
  double busy_seconds = 0.0;          ///< sum of trial durations
  double waiting_seconds = 0.0;       ///< workers idle with a hello or result rank 0 had not answered
  double drain_seconds = 0.0;         ///< workers idle after their last trial (no work left)
  double rank0_busy_seconds = 0.0;    ///< rank 0's charged compute and messaging
  std::int64_t messages = 0;          ///< messages rank 0 sent and received
  double real_seconds = 0.0;          ///< wall time the simulation took on this machine
  bool stopped_by_signal = false;     ///< SIGINT/SIGTERM ended it early (stop_on_signal)
  ManagerProfile profile;             ///< where rank 0's real time went (its wait is the simulator's)
  std::optional<TrialRecord> best;
  std::optional<std::filesystem::path> log;  ///< the log kept, if any

  /// busy / (W × makespan).
  double utilization() const noexcept { return share(busy_seconds); }
  /// waiting / (W × makespan): what a faster rank 0 could win back.
  double waiting_fraction() const noexcept { return share(waiting_seconds); }
  /// drain / (W × makespan): the end of a fixed budget, not rank 0's doing.
  double drain_fraction() const noexcept { return share(drain_seconds); }
  /// busy / (busy + waiting): utilization with the final drain left out.
  double utilization_before_drain() const noexcept {
    return busy_seconds + waiting_seconds > 0 ? busy_seconds / (busy_seconds + waiting_seconds) : 0.0;
  }
  /// rank 0's busy time / makespan.
  double rank0_busy_fraction() const noexcept {
    return makespan_seconds > 0 ? rank0_busy_seconds / makespan_seconds : 0.0;
  }

 private:
  double share(double seconds) const noexcept {
    const double total = static_cast<double>(workers) * makespan_seconds;
    return total > 0 ? seconds / total : 0.0;
  }
};

/// Runs `study` with its real strategy, manager and log against simulated workers whose
/// trial durations are log-normal and whose objective is a synthetic function of the
/// parameters (lib/runtime/simulated_workers.hpp), charging rank 0's measured compute to a
/// virtual clock. Needs no MPI and no Environment. Throws InputError on bad options.
SimulationReport simulate_study(const StudyConfig& study, const SimulationOptions& options);

}  // namespace h5tune
