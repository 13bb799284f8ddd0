#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "h5tune/log.hpp"
#include "h5tune/strategy.hpp"
#include "h5tune/study.hpp"
#include "runtime/reproducible_rule.hpp"

namespace h5tune::runtime {

/// What `h5tune run --resume` continues from, read from the log of an earlier run
/// (docs/log-format.md, "Resuming"). Finished trials (complete, failed, pruned) are kept;
/// trials logged interrupted, running or pending run again with their id, parameters and
/// seed and the next attempt number; new trials continue at `next_id`.
struct ResumePlan {
  std::int64_t next_id = 0;          ///< first id the earlier runs never used
  std::vector<TrialRecord> rerun;    ///< to run again, by id; attempt already incremented
  std::int64_t kept = 0;             ///< finished trials kept from the log
  std::optional<TrialRecord> best;   ///< best complete trial kept
  /// Reproducible mode: the dispatch rule's state after the replay (results of finished
  /// trials not yet told to the strategy are held in it).
  ReproducibleRule rule;
};

/// Throws InputError naming what differs when the log was written by another study: its
/// space, seed, strategy kind, direction or metric.
void check_same_study(const LogHeader& log, const StudyConfig& study);

/// Checks the log against the study and brings `strategy` (built fresh from the study's
/// seed) to the point where the logged run left it, by replaying:
///
/// - reproducible mode: the reproducible dispatch rule runs again for trials
///   0..next_id-1 over the logged results, with `workers` workers; each re-derived
///   suggestion must equal the logged parameters bit for bit, else InputError ("the log
///   does not match the study's strategy at trial k"). The resumed run then suggests
///   exactly what an uninterrupted run would have.
/// - async mode: the journal is walked in order: one ask(1, pending) per `ask` event (so
///   sequences and generations advance as they did), and each kept trial told at its last
///   `tell` event. The strategy then knows what the logged one knew, though not
///   necessarily in the same internal state (the live run asked in batches).
///
/// Re-run trials whose parameters never reached the log (killed between two flushes) get
/// them from the replay (reproducible) or from one ask (async). Reads everything it
/// needs, so the reader can be closed afterwards. Nothing is written.
ResumePlan plan_resume(const LogReader& log, const StudyConfig& study, Strategy& strategy, int workers);

}  // namespace h5tune::runtime
