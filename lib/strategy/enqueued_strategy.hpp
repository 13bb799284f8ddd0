#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "h5tune/strategy.hpp"

namespace h5tune {

/// Points the user wants evaluated first, in front of any strategy (Optuna's
/// `enqueue_trial`, Ray Tune's `points_to_evaluate`, DeepHyper's initial points). The first
/// asks return the points in order, so they become trials 0, 1, ...; every later ask goes
/// to the wrapped strategy, which sees the points still running as pending trials and is
/// told their results like its own (a GP or TPE learns from them, evolution breeds from
/// them; CMA-ES and grid ignore them). A parameter a point leaves out (NaN) is drawn
/// uniformly from its range with a generator seeded by `fill_seed`, once, at construction,
/// so the same study seed gives the same points. kind() is the wrapped strategy's.
class EnqueuedStrategy final : public Strategy {
 public:
  /// Throws InputError naming the point and the parameter when a value is outside the
  /// space (a wrong size, out of range, a fractional integer, an unknown choice index).
  EnqueuedStrategy(std::unique_ptr<Strategy> inner, const Space& space, std::vector<std::vector<double>> points,
                   std::uint64_t fill_seed);

  std::string_view kind() const noexcept override { return inner_->kind(); }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override { inner_->tell(trial); }
  bool exhausted() const noexcept override { return served_ == points_.size() && inner_->exhausted(); }
  std::vector<std::int64_t> released_checkpoints() override { return inner_->released_checkpoints(); }
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  /// The points with every value filled in, in the order they run.
  const std::vector<std::vector<double>>& points() const noexcept { return points_; }

 private:
  std::unique_ptr<Strategy> inner_;
  std::size_t dims_;
  std::vector<std::vector<double>> points_;
  std::size_t served_ = 0;
};

}  // namespace h5tune
