#pragma once
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "h5tune/log.hpp"
#include "h5tune/runtime.hpp"
#include "h5tune/strategy.hpp"
#include "h5tune/study.hpp"
#include "runtime/checkpoint_retention.hpp"
#include "runtime/codec.hpp"
#include "runtime/failure_policy.hpp"
#include "runtime/phase_clock.hpp"
#include "runtime/progress.hpp"
#include "runtime/reproducible_rule.hpp"
#include "runtime/resume.hpp"
#include "runtime/time_source.hpp"
#include "runtime/transport.hpp"
#include "stopping/trial_stopper.hpp"

namespace h5tune::runtime {

/// Rank 0's loop (libEnsemble's manager): asks the strategy for trials, hands them to idle
/// workers as soon as they report, receives reports and results, tells the strategy and
/// writes every state change to the log. The first trials go out once every worker has
/// said hello, so every worker takes part from the start.
///
/// Async mode (default): a worker that reports gets a new trial at once; the strategy sees
/// the running trials as `pending`. Reproducible mode: trial k is asked only from the
/// results of trials 0..k-W (W workers), told in id order, with trials k-W+1..k-1 as
/// `pending`; results that arrive early wait in a reorder buffer, so the trial sequence
/// depends on the seed and W only, never on timing (ReproducibleRule).
///
/// A resumed run (resume()) first hands out the trials to run again, then goes on.
///
/// Every time it reads (log timestamps, the time budget, flush pacing, progress) comes from
/// `time` (default: the machine's clocks), so a simulation can run it on virtual time.
class Manager {
 public:
  Manager(const StudyConfig& study, Transport& transport, LogWriter& log, Strategy& strategy,
          const RunOptions& options, const std::atomic<bool>* stop_requested = nullptr,
          const TimeSource* time = nullptr);
  /// Runs until the budget is spent (or the time limit, a stop request, an exhausted
  /// strategy), then sends every worker a stop message.
  RunSummary run();
  /// Continue the run a log left (call before run()): its re-run trials go out first,
  /// with their ids; new trials start at plan.next_id.
  void resume(ResumePlan plan);

 private:
  bool may_create() const;
  void dispatch();
  void dispatch_async();
  void dispatch_reproducible();
  void start_trial(Suggestion suggestion, int rank);
  void launch(TrialRecord trial, int rank, double now, bool asked);
  /// The running trial with this id, or nullptr.
  const TrialRecord* find_running(std::int64_t id) const;
  void handle(const Envelope& envelope);
  void on_result(int rank, const ResultMsg& result);
  void finalize(TrialRecord& trial, const ResultMsg& result);
  void schedule_retry(const TrialRecord& failed, int rank);
  /// Stops creating trials and interrupts the running ones; `why` becomes their message.
  void request_stop(const std::string& why);
  void maybe_flush(bool force);
  double receive_timeout() const;
  void send_stop_to_all();
  bool receive(Envelope& envelope, double timeout_seconds);
  template <class Message> void send(int rank, Tag tag, const Message& message) {
    std::span<const char> bytes;
    {
      const ScopedPhase phase(clock_, Phase::serialize);
      bytes = encoder_.encode(message);
    }
    const ScopedPhase phase(clock_, Phase::messaging);
    transport_.send(rank, tag, bytes);
  }

  const StudyConfig& study_;
  Transport& transport_;
  LogWriter& log_;
  Strategy& strategy_;
  RunOptions options_;
  const std::atomic<bool>* stop_requested_;
  const TimeSource& time_;
  Encoder encoder_;
  Decoder decoder_;
  Progress progress_;
  PhaseClock clock_;

  int workers_ = 0;
  int hellos_ = 0;                        ///< workers that said hello
  std::vector<int> idle_;                 ///< ranks waiting for work
  std::vector<int> rank_host_;            ///< host index of each rank (-1 until hello)
  std::vector<std::int64_t> rank_trial_;  ///< trial running on each rank, -1 when idle
  std::vector<TrialRecord> running_;      ///< trials not yet finished (strategy's `pending`)
  std::unordered_map<std::int64_t, std::size_t> running_index_;
  /// A trial rank 0 cancelled: why, in the words its logged message gets.
  struct Cancellation {
    CancelReason reason = CancelReason::interrupted;
    std::string why;
  };
  std::unordered_map<std::int64_t, Cancellation> cancelled_;
  ReproducibleRule rule_;                 ///< reproducible mode
  std::vector<TrialRecord> rerun_;        ///< resumed run: trials to run again, by id
  std::size_t next_rerun_ = 0;
  std::deque<TrialRecord> retries_;       ///< failed trials to run again (max_retries), in order
  FailurePolicy failures_;
  std::int64_t next_id_ = 0;
  bool stopping_ = false;
  double started_ = 0.0;      ///< steady seconds
  double last_flush_ = 0.0;   ///< steady seconds
  bool dirty_ = false;
  RunSummary summary_;
  WorkMsg work_;              ///< reused to avoid per-trial allocation
  ResultMsg result_;
  ReportMsg report_;
  stopping::TrialStopper stopper_;  ///< the study's [stopping] rule, if any
  CheckpointRetention retention_{study_};  ///< deletes checkpoints the strategy released (PBT)
};

}  // namespace h5tune::runtime
