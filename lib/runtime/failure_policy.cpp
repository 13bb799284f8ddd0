#include "runtime/failure_policy.hpp"

#include <fmt/format.h>

namespace h5tune::runtime {

bool FailurePolicy::retry(const TrialRecord& trial) {
  if (trial.state != TrialState::failed || trial.attempt >= study_.max_retries) return false;
  std::string& history = earlier_[trial.id];
  if (!history.empty()) history += "; ";
  history += fmt::format("attempt {}: {}", trial.attempt + 1, trial.message);
  return true;
}

std::string FailurePolicy::final_message(const TrialRecord& trial) {
  const auto found = earlier_.find(trial.id);
  if (found == earlier_.end()) return trial.message;
  std::string message = trial.message.empty()
                            ? fmt::format("attempt {} of {}", trial.attempt + 1, study_.max_retries + 1)
                            : fmt::format("attempt {}: {}", trial.attempt + 1, trial.message);
  message += "; earlier " + found->second;
  earlier_.erase(found);
  return message;
}

void FailurePolicy::count_earlier(std::int64_t finished, std::int64_t failed) {
  earlier_finished_ = finished;
  earlier_failed_ = failed;
}

std::optional<std::string> FailurePolicy::limit_reached(const RunSummary& summary) const {
  if (!study_.max_failures) return std::nullopt;
  const FailureLimit& limit = *study_.max_failures;
  const std::int64_t failed = earlier_failed_ + summary.failed;
  const std::string earlier = earlier_failed_ ? fmt::format(" ({} of them in earlier runs)", earlier_failed_) : "";
  if (limit.count && failed > *limit.count)
    return fmt::format("{} trials failed{}, more than max_failures = {}", failed, earlier, *limit.count);
  const std::int64_t finished = earlier_finished_ + summary.complete + summary.failed + summary.pruned;
  if (limit.fraction && finished >= FailureLimit::min_finished_for_fraction &&
      static_cast<double>(failed) > *limit.fraction * static_cast<double>(finished))
    return fmt::format("{} of {} finished trials failed{}, more than max_failures = {:g} of them", failed, finished,
                       earlier, *limit.fraction);
  return std::nullopt;
}

}  // namespace h5tune::runtime
