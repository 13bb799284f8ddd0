#pragma once
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>

#include "h5tune/objective.hpp"
#include "h5tune/study.hpp"

namespace h5tune {

/// Owns MPI for the program's lifetime (as boost::mpi::environment): construct it first
/// in main(), before run_study. Without mpiexec the program is a single rank.
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
};

/// How a run behaves beyond what the study file says.
struct RunOptions {
  bool overwrite = false;  ///< replace an existing log (--force)
  bool resume = false;     ///< continue an existing log (--resume)
  int verbosity = 1;       ///< 0: quiet, 1: progress, 2: every trial
  std::ostream* out = nullptr;  ///< progress output (rank 0), default std::cerr
  double flush_interval_seconds = 1.0;
};

/// What a finished run reports (meaningful on rank 0; workers get counts of their own).
struct RunSummary {
  bool manager = true;
  std::int64_t trials = 0;   ///< finished in this run
  std::int64_t complete = 0;
  std::int64_t failed = 0;
  std::int64_t pruned = 0;
  std::int64_t interrupted = 0;
  std::optional<TrialRecord> best;
  std::filesystem::path log;
  double wall_seconds = 0.0;
};

/// Runs a study. With one rank, rank 0 evaluates trials itself (on a worker thread, so
/// the log keeps flushing). Under mpiexec with N ranks, rank 0 runs the strategy and the
/// log, and ranks 1..N-1 evaluate trials, each given a new trial as soon as it reports.
/// Every rank must call it with the same study. Requires an Environment.
RunSummary run_study(const StudyConfig& study, Objective& objective, const RunOptions& options = {});

}  // namespace h5tune
