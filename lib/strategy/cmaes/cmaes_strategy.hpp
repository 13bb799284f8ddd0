#pragma once
#include <cstdint>
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"
#include "strategy/cmaes/cma_distribution.hpp"

namespace h5tune {

/// CMA-ES with IPOP restarts over the unit cube of the float, log-float and integer
/// parameters. References: N. Hansen, "The CMA Evolution Strategy: A Tutorial",
/// arXiv:1604.00772 (2016); A. Auger and N. Hansen, "A restart CMA evolution strategy with
/// increasing population size", CEC 2005.
///
/// The update is the tutorial's with its default parameters, active (negative-weight)
/// covariance update included (CmaDistribution); with the mean's trial off, the default
/// search is that of Optuna 3.1's CmaEsSampler (same start, sigma0, lambda, weights, rates and
/// bound handling; docs/strategies.md lists the differences).
///
/// Generations: each generation's lambda points (default 4 + floor(3 ln n), n the number of
/// non-categorical parameters; option `popsize`) are drawn when it starts, preceded, when
/// n >= `mean_trial_dims` (default 4), by one extra trial at the current mean: it is not a
/// sample, so it stays out of the update, but the mean of a recombining ES is usually better
/// than its samples (Beyer's "genetic repair", Evolutionary Computation 3(1), 1995), and it
/// lowered the median regret of the sample-efficiency suite from 4-d on. ask(k) hands out
/// up to k of those not yet handed out, and returns fewer, possibly none, once all are out
/// and some are not told yet (a generation barrier). Every told member counts, whatever its
/// state: failed, pruned and interrupted trials and NaN values rank below every finite value
/// of the generation (ties in the order drawn; they get the most negative weights), so the
/// update always proceeds. A handed-out member that is neither told nor among ask's
/// `pending` trials is counted as failed when the barrier is hit, so a lost trial cannot
/// stall the search.
///
/// Start: mean at the centre of the cube, sigma = `sigma0` (default 1/6 of the cube's side,
/// as Optuna's: the cube is +-3 sigma around the centre). Bounds: a point outside the cube
/// is redrawn up to 10 n times (as Optuna asks of the `cmaes` package), then clipped to it;
/// the update uses the point as evaluated. Integers decode by Space::from_unit (rounding); the
/// std of an integer coordinate never falls below 0.22 of its value's slice of the cube (a
/// margin in the spirit of pycma's integer handling and Hamano et al., GECCO 2022), so it
/// keeps trying neighbouring integers. Categorical parameters are drawn uniformly and
/// independently for every point. With no non-categorical parameter the strategy is random
/// search and has no barrier.
///
/// Restarts (option `restarts`, default on): after an update the search restarts with
/// doubled lambda (at most 9 doublings), a uniformly random mean, sigma0 and C = I when
/// TolFun (the best values of the last 10 + ceil(30 n / lambda) generations and all values
/// of this one lie within 1e-12), TolX (sigma max(sqrt(C_ii), |pc_i|) < 1e-12 sigma0 for
/// every float coordinate i; not checked without float parameters), Stagnation (over the
/// last 20% of the generations, at least 120 + 30 n / lambda, the medians of the first and
/// last 30% of the best and of the median values show no improvement), ConditionCov
/// (cond(C) > 1e14), NoEffectCoord (adding 0.2 sigma sqrt(C_ii) to m_i leaves it unchanged)
/// or TolUpSigma (sigma max(D) > 1e3: far wider than the cube) holds.
/// Values are minimized, or maximized under the hidden option `direction = "maximize"`.
class CmaesStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "cmaes";
  static std::vector<OptionSpec> option_specs();

  CmaesStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  /// The current search distribution (over the non-categorical coordinates).
  const CmaDistribution& distribution() const noexcept { return distribution_; }
  /// Restarts so far.
  std::uint64_t restarts() const noexcept { return restarts_; }

  /// One point of the current generation.
  struct Member {
    std::vector<double> x;       ///< the non-categorical unit coordinates CMA-ES drew
    std::vector<double> values;  ///< the decoded parameter values handed out
    bool asked = false;
    bool told = false;
    bool ok = false;             ///< told with a finite value
    bool mean = false;           ///< the mean's extra trial, not one of the lambda samples
    double score = 0.0;          ///< the value, negated when maximizing: smaller is better
  };

 private:
  std::vector<double> draw_inside_cube();
  void start_generation();
  void finish_generation();
  bool should_restart() const;
  bool stagnated() const;
  void restart();
  void apply_integer_margin();
  /// Counts handed-out members that are neither told nor pending as failed.
  void forget_lost(const std::vector<TrialRecord>& pending);
  std::vector<double> random_values();

  Space space_;
  std::vector<std::size_t> continuous_;  ///< indices of non-categorical parameters
  bool maximize_;
  double sigma0_;
  bool restarts_enabled_;
  bool mean_trial_ = false;  ///< each generation starts with a trial at the mean
  std::size_t base_lambda_;

  Rng rng_;
  CmaDistribution distribution_;
  std::uint64_t restarts_ = 0;
  std::vector<Member> generation_;
  std::vector<double> best_history_;    ///< best score of each generation since the (re)start
  std::vector<double> median_history_;  ///< median score of each generation since the (re)start
};

}  // namespace h5tune
