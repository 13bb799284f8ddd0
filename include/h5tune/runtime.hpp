#pragma once
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "h5tune/objective.hpp"
#include "h5tune/study.hpp"

namespace h5tune {

/// Owns MPI for the program's lifetime (as boost::mpi::environment): construct it first
/// in main(), before run_study. Without mpiexec (or srun) the program is a single rank and
/// MPI is not started at all: a singleton MPI_Init would spawn Open MPI's daemon, which
/// costs about half a second per run for nothing.
class Environment {
 public:
  Environment(int& argc, char**& argv);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }

 private:
  int rank_ = 0;
  int size_ = 1;
  bool finalize_ = false;
  bool single_process_ = false;  ///< no launcher: MPI never started
};

/// Where rank 0's time went during a run, in steady-clock nanoseconds summed over the run
/// (asked for with RunOptions::profile). Every nanosecond of Manager::run() is charged to
/// exactly one phase, so the phases add up to `total_ns`; divide by RunSummary::trials for
/// a per-trial split. bench/dispatch_bench.cpp prints it (docs/benchmarks.md).
struct ManagerProfile {
  std::int64_t ask_ns = 0;        ///< strategy.ask and turning suggestions into trial records
  std::int64_t serialize_ns = 0;  ///< encoding work messages, decoding results and reports
  std::int64_t messaging_ns = 0;  ///< transport send, and receives that found a message waiting
  std::int64_t wait_ns = 0;       ///< blocked in receive with nothing to do (workers busy)
  std::int64_t tell_ns = 0;       ///< bookkeeping of a result, the summary, strategy.tell
  std::int64_t log_ns = 0;        ///< LogWriter calls, flushes included
  std::int64_t other_ns = 0;      ///< the rest of the loop: stop checks, progress output
  std::int64_t total_ns = 0;      ///< all of Manager::run()
  /// Rank 0's own work: everything but waiting.
  std::int64_t busy_ns() const noexcept { return total_ns - wait_ns; }
};

/// How a run behaves beyond what the study file says.
struct RunOptions {
  bool overwrite = false;  ///< replace an existing log (--force)
  bool resume = false;     ///< continue an existing log (--resume)
  int verbosity = 1;       ///< 0: quiet, 1: progress, 2: every trial
  std::ostream* out = nullptr;  ///< progress output (rank 0), default std::cerr
  double flush_interval_seconds = 1.0;
  /// How often an idle rank 0 wakes to look for a stop request (SIGINT/SIGTERM). A
  /// simulation, whose clock is virtual and jumps to the next message, never does.
  double idle_wake_seconds = 0.25;
  /// Time rank 0's phases into RunSummary::profile. Off by default; when off the manager
  /// pays one branch per phase change and reads no clock for it.
  bool profile = false;
  /// When set, rank 0 writes its process id to this file once it handles SIGTERM (a
  /// batch script signals it only then: `h5tune run --pid-file`) and removes it at the end.
  std::filesystem::path pid_file;
};

/// What a finished run reports (meaningful on rank 0; workers get counts of their own).
struct RunSummary {
  bool manager = true;
  std::int64_t trials = 0;   ///< finished in this run
  std::int64_t complete = 0;
  std::int64_t failed = 0;
  std::int64_t pruned = 0;
  std::int64_t interrupted = 0;
  std::int64_t retried = 0;  ///< failed attempts run again (max_retries); not in `failed`
  bool stopped_by_signal = false;  ///< SIGINT/SIGTERM ended the run early
  std::optional<std::string> failure_limit;  ///< why max_failures stopped the run, if it did
  std::optional<TrialRecord> best;
  std::filesystem::path log;
  double wall_seconds = 0.0;
  std::optional<ManagerProfile> profile;  ///< rank 0 with RunOptions::profile only
};

/// Runs a study. With one rank, rank 0 evaluates trials itself (on a worker thread, so
/// the log keeps flushing). Under mpiexec with N ranks, rank 0 runs the strategy and the
/// log, and ranks 1..N-1 evaluate trials, each given a new trial as soon as it reports.
/// Every rank must call it with the same study. Requires an Environment. For a study with
/// an objective command it first checks the parent of the trial directories (`[objective]
/// workdir`) and throws ConfigError, before any log is written, when that cannot be a
/// directory we can write in.
RunSummary run_study(const StudyConfig& study, Objective& objective, const RunOptions& options = {});

}  // namespace h5tune
