#pragma once
#include <cstdint>
#include <functional>
#include <memory>
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
  std::int64_t kept_failed = 0;      ///< of them failed: max_failures counts them (the study's limit)
  std::int64_t kept_pruned = 0;      ///< of them pruned: the progress line counts the study's trials
  std::optional<TrialRecord> best;   ///< best complete trial kept
  /// With a [stopping] rule: the kept trials and their logged reports, which the manager
  /// feeds to the rule so that its rung tables hold what the earlier runs saw.
  std::vector<TrialRecord> stopping_trials;
  std::vector<Report> stopping_reports;
  /// Reproducible mode: the dispatch rule's state after the replay (results of finished
  /// trials not yet told to the strategy are held in it).
  ReproducibleRule rule;
};

/// The strategy a run of `study` starts with: its kind and options, the study's direction,
/// seeded from the study seed's strategy stream.
std::unique_ptr<Strategy> initial_strategy(const StudyConfig& study);

/// Reproducible mode's replay: the reproducible dispatch rule runs again for trials
/// 0..end-1 over the logged results held in `trials` (by id; finished ones are added to
/// `rule`, which starts fresh), and `visit` sees each logged trial with the suggestion
/// the rule derives for it. Returns the first id for which the rule waits for a result
/// the log does not hold (`end` when it got through).
std::int64_t replay_rule(const Space& space, Strategy& strategy, ReproducibleRule& rule, std::vector<TrialRecord>& trials,
                         std::int64_t end, const std::function<void(TrialRecord& logged, const Suggestion& derived)>& visit);

/// Which trials a journal replay tells the strategy, and when.
enum class TellRule {
  as_logged,  ///< every trial at every `tell` event: the live run's calls exactly
  kept_once,  ///< only trials a resume keeps, once, at their last `tell` event
};

/// What replay_journal leaves behind.
struct JournalReplay {
  std::vector<TrialRecord> pending;  ///< asked or started, not told: the live run's `running_`, same order
  std::vector<bool> told;            ///< by trial id
  bool stopped_at_resume = false;    ///< stop_at_resume was set and the journal holds a resumed run
};

/// Async mode's replay: walks the event journal in order and makes the calls the live
/// manager made: a run of consecutive `ask` events (with their `start`s) is one
/// ask(k, pending) call (the manager asks once for all idle workers), pending trials are
/// kept in the manager's order (appended when started, swap-removed when told or retried),
/// and results are told by `tells`. `visit` sees each asked trial with the strategy's
/// suggestion for it (nullptr when it suggested fewer points than the journal asked for);
/// it may fill in parameters the log lost. With `stop_at_resume` the walk ends at the
/// second `run_start` (a resumed run rebuilt its strategy; its calls are not in the log).
JournalReplay replay_journal(const std::vector<Event>& events, const Space& space, Strategy& strategy,
                             std::vector<TrialRecord>& trials, TellRule tells, bool stop_at_resume,
                             const std::function<void(TrialRecord& logged, const Suggestion* derived)>& visit);

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
/// - async mode: the journal is walked in order (replay_journal), asking in the batches the
///   manager asked in, and each kept trial told at its last `tell` event. The strategy then
///   knows what the logged one knew (trials the resume runs again are pending, not told).
///
/// Re-run trials whose parameters never reached the log (killed between two flushes) get
/// them from the replay (reproducible) or from one ask (async). Reads everything it
/// needs, so the reader can be closed afterwards. Nothing is written.
ResumePlan plan_resume(const LogReader& log, const StudyConfig& study, Strategy& strategy, int workers);

}  // namespace h5tune::runtime
