#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "h5tune/runtime.hpp"
#include "h5tune/study.hpp"

namespace h5tune::runtime {

/// What rank 0 does with failed trials (the study's `max_retries` and `max_failures`):
/// whether a failure is run again, the history of a trial's failed attempts that its final
/// row keeps in its message, and whether the failures so far say the objective is broken.
/// A retry keeps the trial's id, seed and parameters (Ray Tune's max_failures per trial);
/// the strategy is told only the last attempt, so a transient failure does not teach it
/// anything about the parameters.
class FailurePolicy {
 public:
  explicit FailurePolicy(const StudyConfig& study) : study_(study) {}

  /// True when `trial` (just failed) should run again, and then remembers why it failed.
  bool retry(const TrialRecord& trial);
  /// The final attempt's message with the earlier attempts' reasons appended.
  std::string final_message(const TrialRecord& trial);
  /// Counts the finished trials of earlier runs of the study (a resumed log): max_failures
  /// is the study's limit, as a user of Optuna or Ray Tune expects, not each run's.
  void count_earlier(std::int64_t finished, std::int64_t failed);
  /// A message when the failures of the study (earlier runs plus `summary`, this run's)
  /// exceed max_failures, nothing otherwise.
  std::optional<std::string> limit_reached(const RunSummary& summary) const;

 private:
  const StudyConfig& study_;
  std::unordered_map<std::int64_t, std::string> earlier_;  ///< trial id -> failed attempts so far
  std::int64_t earlier_finished_ = 0;  ///< finished trials kept from earlier runs
  std::int64_t earlier_failed_ = 0;    ///< of them failed
};

}  // namespace h5tune::runtime
