#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/share_sequence.hpp"
#include "h5tune/stopping.hpp"
#include "stopping/asha_rule.hpp"

namespace h5tune::stopping {

/// Hyperband as a stopping rule (Li et al., "Hyperband", JMLR 18(185), 2017; Optuna's
/// HyperbandPruner): several ASHA brackets that differ in how early they first judge a
/// trial, so that a slow starter has brackets where it is not cut at the first step.
///
/// With B = floor(log_eta(max_resource / min_resource)) + 1 brackets, bracket b is an
/// AshaRule whose first rung is min_resource * eta^b; the last bracket may have no rung
/// below max_resource and then never stops a trial (Hyperband's plain random-search
/// bracket). Every trial belongs to one bracket and competes only with trials of the same
/// bracket. Bracket b gets a share of the trials proportional to Optuna's budget
/// ceil(B * eta^s / (s + 1)), s = B - 1 - b (Hyperband's n for that bracket), dealt by a
/// ShareSequence over trial ids started from `seed`: every run of consecutive trial ids
/// is divided among the brackets in those proportions, give or take a trial or two (a
/// hash of the id would leave a study of 50 trials with a bracket at 1.7 times its
/// share), the bracket of a trial depends only on its id and the seed (a resumed run
/// agrees), and two studies with different seeds get different assignments.
///
/// With `shared_rungs` (default false, which is Optuna's behaviour) a trial's value at a
/// step is also filed, without a decision, in the rungs of the other brackets at the steps
/// it passed, so a trial is judged against every trial seen at its rung, not only those of
/// its bracket. Why: Hyperband's brackets are meant to run synchronously; asynchronously
/// the first trials at each rung of each bracket go on unjudged, and in a study of tens of
/// trials those free promotions are much of the compute (docs/stopping.md). A bracket still
/// decides when it first judges a trial, which keeps Hyperband's hedge against early rungs
/// that rank curves badly.
class HyperbandRule final : public StoppingRule {
 public:
  HyperbandRule(std::int64_t min_resource, std::int64_t max_resource, std::int64_t reduction_factor,
                Direction direction, bool shared_rungs = false, std::uint64_t seed = 0);
  bool should_stop(std::int64_t trial, std::int64_t step, double value) override;
  void finished(const TrialRecord& trial) override;
  StoppingKind kind() const noexcept override { return StoppingKind::hyperband; }

  std::size_t bracket_count() const noexcept { return brackets_.size(); }
  /// The bracket trial `trial` belongs to, in [0, bracket_count()).
  std::size_t bracket_of(std::int64_t trial) const noexcept;
  const AshaRule& bracket(std::size_t index) const { return brackets_.at(index); }
  /// The relative share of trials bracket `index` gets (not normalized).
  double budget(std::size_t index) const { return sequence_.share(index); }

 private:
  bool shared_rungs_ = false;
  std::unordered_map<std::int64_t, std::int64_t> shared_up_to_;  ///< per running trial: steps filed elsewhere
  std::unordered_set<std::int64_t> stopped_;
  std::vector<AshaRule> brackets_;
  ShareSequence sequence_;  ///< the bracket of each trial id
};

}  // namespace h5tune::stopping
