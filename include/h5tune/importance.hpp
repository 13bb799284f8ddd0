#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "h5tune/space.hpp"

namespace h5tune {

/// Settings of the random forest behind FanovaForest. The defaults are Optuna's
/// FanovaImportanceEvaluator's (64 trees of depth at most 64, bootstrap samples, every
/// parameter considered at every split, leaves down to one sample).
struct ForestOptions {
  std::size_t trees = 64;
  std::size_t max_depth = 64;
  std::size_t min_samples_split = 2;
  /// At most this many observations are fitted (an even stride through them when there are
  /// more), which bounds the cost on very large studies.
  std::size_t max_samples = 4000;
  std::uint64_t seed = 0;  ///< bootstrap draws; derive it from the study seed
};

/// Parameter importance by functional ANOVA on a random-forest surrogate (Hutter, Hoos,
/// Leyton-Brown, "An Efficient Approach for Assessing Hyperparameter Importance", ICML
/// 2014; the method of Optuna's FanovaImportanceEvaluator).
///
/// A forest of CART regression trees is fitted to (point, objective) pairs with every
/// point in the search space's unit cube (Space::to_unit: log parameters in log space, an
/// integer or a choice owning its slice). Each tree cuts the cube into boxes with constant
/// prediction, so its marginals under the uniform measure of the cube are exact sums over
/// leaves: the main effect of parameter i is piecewise constant between the tree's splits
/// on i. The importance of i is the variance of that main effect divided by the tree's
/// total variance, averaged over the trees (trees predicting a constant are skipped).
/// Choices are split as their ordered slices, which lets a tree isolate any set of choices
/// with a few splits; the uniform measure weighs every choice equally.
///
/// Deterministic: the same observations and seed give the same forest, bit for bit.
class FanovaForest {
 public:
  /// Fits the forest. `unit_points` are points of [0,1]^space.size() (one per value in
  /// `values`); non-finite values are left out. Throws Error when the sizes disagree.
  FanovaForest(const Space& space, const std::vector<std::vector<double>>& unit_points, std::span<const double> values,
               const ForestOptions& options = {});
  ~FanovaForest();
  FanovaForest(FanovaForest&&) noexcept;
  FanovaForest& operator=(FanovaForest&&) noexcept;

  /// Observations fitted (after leaving out non-finite values and thinning).
  std::size_t samples() const noexcept;
  /// Per parameter (Space order): the fraction of the surrogate's variance its main effect
  /// explains, mean over trees; all 0 when the surrogate is constant.
  std::vector<double> importances() const;
  /// Per parameter: the standard deviation of that fraction over the trees.
  std::vector<double> importance_spread() const;
  /// The forest's prediction at a point of the unit cube.
  double predict(std::span<const double> unit_point) const;
  /// The joint marginal of parameters i and j (the other parameters averaged out) at the
  /// centres of an ni x nj grid of cells of the unit square: entry [a * nj + b] is the
  /// prediction at u_i = (a + 0.5) / ni, u_j = (b + 0.5) / nj. For a choice with n options,
  /// n cells put one centre in each choice's slice.
  std::vector<double> marginal_grid(std::size_t i, std::size_t j, std::size_t ni, std::size_t nj) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace h5tune
