#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>

#include "h5tune/runtime.hpp"
#include "h5tune/space.hpp"

namespace h5tune::runtime {

/// Rank 0's progress output. On a terminal: one status line redrawn at most 5 times a
/// second; otherwise (Slurm output files) a plain line every 10 seconds. Verbosity 0
/// prints nothing, 2 adds a line per finished trial.
class Progress {
 public:
  Progress(std::ostream* out, int verbosity, std::int64_t max_trials, const Space& space);
  /// A resumed run: the trials earlier runs finished (complete, failed and pruned counts
  /// of `earlier`) are part of the study's count; the rate and the ETA are this run's.
  void count_earlier(const RunSummary& earlier);
  /// A trial finished; prints it at verbosity 2.
  void trial_finished(const TrialRecord& trial);
  /// Called from the manager loop; prints when the rate limit allows.
  void tick(const RunSummary& summary, std::size_t running, double elapsed_seconds);
  /// Ends the status line.
  void finish(const RunSummary& summary, double elapsed_seconds);

 private:
  std::string status(const RunSummary& summary, std::size_t running, double elapsed_seconds) const;
  std::ostream* out_;
  int verbosity_;
  bool terminal_;
  std::int64_t max_trials_;
  const Space& space_;
  RunSummary earlier_;
  double last_print_ = -1e9;
  bool line_open_ = false;
};

}  // namespace h5tune::runtime
