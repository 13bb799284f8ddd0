#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "h5tune/stopping.hpp"
#include "h5tune/study.hpp"

namespace h5tune::stopping {

/// The study's stopping rule as rank 0's manager uses it: picks the rule's metric out of a
/// report and passes it on. Without a [stopping] table it stops nothing.
class TrialStopper {
 public:
  /// Throws InputError when study.stopping cannot work.
  explicit TrialStopper(const StudyConfig& study);
  /// A report of a running trial: true when the trial should be stopped now. A report
  /// without the rule's metric decides nothing.
  bool should_stop(std::int64_t trial, std::int64_t step, const Metrics& metrics);
  /// The trial ended (any state).
  void finished(const TrialRecord& trial);
  /// A resumed run: the earlier runs' reports and finished trials, merged by time (a
  /// report at its worker time, a trial at its finish time), as the rule saw them live.
  void replay(const std::vector<Report>& reports, const std::vector<TrialRecord>& finished_trials);
  bool enabled() const noexcept { return rule_ != nullptr; }

 private:
  std::unique_ptr<StoppingRule> rule_;
  std::string metric_;
};

}  // namespace h5tune::stopping
