#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/strategy.hpp"
#include "h5tune/trial.hpp"

namespace h5tune::runtime {

/// Reproducible mode's dispatch rule: trial k is asked from the results of trials 0..k-W
/// exactly (W workers), told in id order, with the later trials asked so far as `pending`,
/// whatever order results arrived in. A strategy that answers nothing (a generation
/// barrier) is told the next result in id order and asked again; that depends on ids and
/// the strategy's state only, never on timing.
///
/// One rule serves the live Manager and `--resume`, which drives a fresh strategy through
/// the same rule over the logged results (resume.hpp): the resumed run then suggests
/// exactly what an uninterrupted one would have.
class ReproducibleRule {
 public:
  explicit ReproducibleRule(int workers = 1) : workers_(workers) {}

  /// Hold a finished trial's result until it is its turn to be told.
  void add_result(TrialRecord trial) {
    const std::int64_t id = trial.id;
    reorder_.insert_or_assign(id, std::move(trial));
  }

  /// Ask `strategy` for trial `k` (the next id), first telling the results the rule
  /// requires, in id order, calling `on_tell(trial)` after each. Returns nullopt when
  /// trial k has to wait for an earlier trial's result (or the strategy is exhausted).
  /// `running(id)` gives the record of an asked, unfinished trial, or nullptr. Throws
  /// Error when the strategy suggests nothing while no trial is pending.
  template <class Running, class OnTell>
  std::optional<Suggestion> suggest(std::int64_t k, Strategy& strategy, Running&& running, OnTell&& on_tell) {
    for (;;) {
      const std::int64_t must_tell = std::max<std::int64_t>(0, k - workers_ + 1);
      tell_up_to(must_tell, strategy, on_tell);
      if (next_tell_ < must_tell) return std::nullopt;  // wait for an earlier trial's result
      if (barrier_at_ == next_tell_) {
        // Asked already with exactly this knowledge and got nothing: asking again could
        // draw differently, so tell the next result first (or wait for it).
        if (reorder_.count(next_tell_) == 0) return std::nullopt;
        tell_up_to(next_tell_ + 1, strategy, on_tell);
        continue;
      }
      pending_.clear();
      for (std::int64_t id = next_tell_; id < k; ++id) {
        if (const TrialRecord* trial = running(id)) pending_.push_back(*trial);
        else if (auto done = reorder_.find(id); done != reorder_.end()) pending_.push_back(done->second);
      }
      auto suggestions = strategy.ask(1, pending_);
      if (!suggestions.empty()) return std::move(suggestions.front());
      if (next_tell_ == k && !strategy.exhausted())
        throw Error(fmt::format("strategy '{}' suggested nothing with no trial pending", strategy.kind()));
      if (next_tell_ == k) return std::nullopt;
      barrier_at_ = next_tell_;
    }
  }

  /// Tell the held results of trials below `end` in id order, stopping at the first one
  /// not held yet.
  template <class OnTell>
  void tell_up_to(std::int64_t end, Strategy& strategy, OnTell&& on_tell) {
    while (next_tell_ < end) {
      auto it = reorder_.find(next_tell_);
      if (it == reorder_.end()) return;
      strategy.tell(it->second);
      on_tell(it->second);
      reorder_.erase(it);
      ++next_tell_;
    }
  }

  /// The id of the next result to tell.
  std::int64_t next_tell() const noexcept { return next_tell_; }

 private:
  int workers_;
  std::map<std::int64_t, TrialRecord> reorder_;  ///< finished, not yet told
  std::vector<TrialRecord> pending_;             ///< reused between asks
  std::int64_t next_tell_ = 0;
  std::int64_t barrier_at_ = -1;  ///< next_tell_ when ask last answered nothing
};

}  // namespace h5tune::runtime
