#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "h5tune/stopping.hpp"
#include "stopping/ordered_values.hpp"

namespace h5tune::stopping {

/// Asynchronous successive halving as a stopping rule (Li et al., "A System for Massively
/// Parallel Hyperparameter Tuning", MLSys 2020 / arXiv 2018; Optuna's
/// SuccessiveHalvingPruner).
///
/// Rungs sit at steps min_resource * eta^k, k = first_rung, first_rung + 1, ..., as long as
/// they are below max_resource (a trial that reaches max_resource has finished its budget:
/// there is nothing left to save). When a trial first reports at or beyond a rung's step,
/// that value is filed in the rung and the trial goes on only if it is among the top
/// 1/eta of the values the rung holds so far, its own included: with n values, at most
/// max(1, floor(n / eta)) - 1 of them may be strictly better (so the first values of a
/// rung go on only if they are the best yet, as Optuna). A report that passes several
/// rungs at once is filed in each of them in turn. A NaN at a rung stops the trial.
/// Each rung is an OrderedValues: a decision costs O(log n).
class AshaRule final : public StoppingRule {
 public:
  AshaRule(std::int64_t min_resource, std::int64_t max_resource, std::int64_t reduction_factor,
           Direction direction, int first_rung = 0);
  bool should_stop(std::int64_t trial, std::int64_t step, double value) override;
  void finished(const TrialRecord& trial) override;
  /// Files `value` in every rung at a step in (after, upto] without deciding anything: a
  /// trial of another Hyperband bracket passed those steps (HyperbandRule, shared rungs).
  void file(std::int64_t after, std::int64_t upto, double value);
  StoppingKind kind() const noexcept override { return StoppingKind::asha; }

  /// The steps at which decisions are made, ascending (may be empty).
  std::vector<std::int64_t> rung_steps() const;
  /// How many values rung `rung` holds.
  std::size_t rung_size(std::size_t rung) const { return rungs_.at(rung).values.size(); }

 private:
  struct Rung {
    std::int64_t step;
    OrderedValues values;  ///< oriented: smaller is better
  };
  static constexpr std::int32_t stopped = -1;

  std::int64_t reduction_factor_;
  double sign_;  ///< +1 minimize, -1 maximize
  std::vector<Rung> rungs_;
  std::unordered_map<std::int64_t, std::int32_t> next_rung_;  ///< per running trial, or `stopped`
};

/// The steps min_resource * eta^k (k >= first_rung) below max_resource, without overflow.
std::vector<std::int64_t> rung_steps(std::int64_t min_resource, std::int64_t max_resource, std::int64_t eta,
                                     int first_rung);

}  // namespace h5tune::stopping
