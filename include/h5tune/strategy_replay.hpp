#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "h5tune/log.hpp"
#include "h5tune/study.hpp"

namespace h5tune {

/// A trial whose logged suggestion the re-derived strategy does not reproduce.
struct SuggestionMismatch {
  std::int64_t trial = -1;
  std::vector<double> logged;   ///< parameters in the log
  std::vector<double> derived;  ///< what the strategy suggests now; empty when it suggested nothing
  std::int64_t logged_parent = -1, derived_parent = -1;
  std::int64_t logged_budget = 0, derived_budget = 0;
  std::uint64_t logged_seed = 0, derived_seed = 0;  ///< the trial's seed, logged and derived
};

/// The outcome of replay_strategy().
struct StrategyReplay {
  std::string mode;             ///< "async" or "reproducible"
  std::int64_t checked = 0;     ///< suggestions re-derived and compared
  std::int64_t unchecked = 0;   ///< trials not compared (see `note`)
  std::string note;             ///< why some trials were not compared; empty when all were
  std::vector<SuggestionMismatch> mismatches;  ///< by trial id
  bool reproduced() const noexcept { return mismatches.empty(); }
};

/// Re-derives every suggestion of a logged run from the study seed and the log's event
/// journal, and compares each with the logged parameters, parent, budget and seed bit for bit
/// (so -0.0 differs from 0.0).
///
/// A fresh strategy is built as the run built it (the study's kind, options and direction,
/// seeded from the study seed) and is driven through the calls the run made, read back
/// from the journal (runtime/resume.hpp, the code `h5tune run --resume` uses):
/// - async mode: each run of consecutive `ask` events is one ask call for that many
///   points with the running trials as `pending`, in the manager's order; each `tell` event
///   tells the logged result. A run resumed from this log rebuilt its strategy, so trials
///   asked after the first resume are counted `unchecked`.
/// - reproducible mode: the reproducible dispatch rule runs again with the run's number of
///   workers (MPI ranks - 1, or 1 in-process), resumed runs included.
/// Trials whose parameters never reached the log (a killed run) are `unchecked` too.
/// Throws InputError when the study's space differs from the log's.
StrategyReplay replay_strategy(const LogReader& log, const StudyConfig& study);

}  // namespace h5tune
