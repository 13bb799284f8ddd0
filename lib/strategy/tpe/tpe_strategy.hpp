#pragma once
#include <cstdint>
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"
#include "strategy/tpe/observation_store.hpp"
#include "strategy/tpe/parzen_estimator.hpp"
#include "strategy/tpe/tpe_axis.hpp"

namespace h5tune {

/// Tree-structured Parzen Estimator with Optuna's behaviour and defaults (TPESampler,
/// Optuna 3.1), plus joint suggestions (`joint_every`, `joint_after`, below). References:
/// Bergstra, Bardenet, Bengio, Kegl, "Algorithms for hyper-parameter optimization",
/// NeurIPS 2011; Watanabe, "Tree-structured Parzen estimator: understanding its algorithm
/// components and their roles for better empirical performance", 2023; Falkner, Klein,
/// Hutter, "BOHB", ICML 2018 (multivariate).
///
/// Until `n_startup` trials are complete or pruned, points are uniform random. Then each
/// ask splits the observations into the best gamma(n) = min(ceil(gamma_fraction n),
/// gamma_max) ("below") and the rest ("above"), fits a Parzen estimator l(x) to the first
/// and g(x) to the second (tpe::ParzenEstimator), draws `n_ei_candidates` points from l and
/// returns the one maximizing log l(x) - log g(x), per group of parameters: each parameter
/// alone (independent TPE, Optuna's default); the float and int parameters together with
/// neighbour-gap bandwidths times 1.5, each choice alone (a joint suggestion); or all
/// parameters together with Scott's rule (`multivariate`, every suggestion). Suggestion k
/// (observations told + position in the batch) is joint when k is a multiple of
/// `joint_every`, and every suggestion is joint from `joint_after` observations on: joint
/// suggestions follow optima that couple parameters, independent ones recombine
/// coordinates of different good points, which pays while the search is still broad. A
/// joint l(x) weights its good observations by rank (1, 1/2, 1/3, ...;
/// `joint_rank_weights`, tpe::rank_weights). This beats either kind alone and Optuna's
/// TPE on every function of docs/benchmarks.md.
///
/// Options (defaults): n_startup 10, n_ei_candidates 24, gamma_fraction 0.1, gamma_max 25,
/// prior_weight 1.0, multivariate false, joint_every 2 (0: Optuna's TPE, and no joint
/// suggestions at all; Optuna has no such option), joint_after 0 (= 10 + 5 per parameter),
/// joint_rank_weights true, normalized_kernels false (Optuna 3.1's scoring: continuous kernels
/// without the -log(sigma) term, which finds better points within a few hundred trials
/// than normalized densities; see tpe::ParzenSettings), constant_liar
/// true (Optuna: false; see docs/strategies.md), max_above 1000 (beyond 1000 above
/// observations and lies, g(x) is fitted to a uniform random subset of that many in trial
/// order, so past that size only the O(n) split still grows with n; Optuna fits all).
/// Hidden option `direction` ("minimize" | "maximize"), set by the runtime. Complete trials with a finite value and pruned trials (ranked after every
/// complete one) are observations; failed, interrupted and NaN-valued trials are ignored.
/// With constant_liar, pending trials and the earlier points of the same ask() join the
/// above set with a worst-possible value.
class TpeStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "tpe";
  static std::vector<OptionSpec> option_specs();

  TpeStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

 private:
  /// The below and above estimators of one suggestion, one pair per group of axes.
  struct Model {
    std::vector<std::vector<std::size_t>> groups;  ///< the axes of each estimator pair
    std::vector<tpe::ParzenEstimator> below, above;
  };
  /// Groups of axes estimated jointly: all of them (multivariate); the float and int axes
  /// together and each choice alone (`joint`); or each axis alone (independent TPE).
  std::vector<std::vector<std::size_t>> axis_groups(bool joint) const;
  Model fit(const std::vector<std::vector<double>>& lies, bool joint);
  /// Coordinates of the next point: the best of the candidates drawn from l.
  std::vector<double> propose(const Model& model);
  /// The best of `count` candidate rows of `width` coordinates by log l - log g.
  std::size_t best_candidate(const tpe::ParzenEstimator& below, const tpe::ParzenEstimator& above,
                             const std::vector<double>& candidates, std::size_t count) const;
  std::vector<double> random_point();

  Space space_;
  tpe::AxisCodec codec_;
  tpe::ParzenSettings parzen_;
  std::size_t n_startup_;
  std::size_t n_candidates_;
  double gamma_fraction_;
  std::size_t gamma_max_;
  std::size_t max_above_;  ///< 0: g(x) over every above observation
  std::size_t joint_every_;  ///< every k-th suggestion joint; 0: never (and with multivariate)
  std::size_t joint_after_;  ///< every suggestion joint from this many observations on
  bool joint_rank_weights_;  ///< joint l(x) weights its observations by rank
  bool constant_liar_;
  double sign_;  ///< +1 minimize, -1 maximize: scores are always minimized
  Rng rng_;
  tpe::ObservationStore store_;
};

}  // namespace h5tune
