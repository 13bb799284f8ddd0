#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"
#include "strategy/gp/acquisition.hpp"
#include "strategy/gp/acquisition_search.hpp"
#include "strategy/gp/batch_pool.hpp"
#include "strategy/gp/point_codec.hpp"
#include "strategy/gp/surrogate.hpp"
#include "strategy/gp/trust_region.hpp"

namespace h5tune {

/// Bayesian optimization with a Gaussian-process surrogate (kind "gp").
///
/// Model: a GP with the Matérn-5/2 ARD kernel over the unit cube (categoricals one-hot, see
/// gp::PointCodec), the values' Yeo-Johnson transform (`warp_outputs`, default true;
/// gp::yeo_johnson_warp) or the values themselves, standardized; hyperparameters by MAP with Gamma priors and
/// multi-start L-BFGS-B on a refit schedule (gp::Surrogate); local model beyond `max_exact`.
/// Acquisition: log-EI or UCB (by profile, below), maximized over Sobol points and perturbations of the
/// best points, polished by L-BFGS-B (gp::maximize_acquisition). Reference: Snoek, Larochelle,
/// Adams, "Practical Bayesian optimization of machine learning algorithms", NIPS 2012.
///
/// Profiles (`profile`): "global" searches log-EI in a box of side `search_box` (default 0.2
/// of each float/int range) around the best point (gp::search_box), and the whole space for
/// one pick once `escape_after` results in a row (default 20) have not improved on the best,
/// with an initial design of min(20, max(5, 2 d)); "local" searches it in a trust region
/// around the best point (`trust_region`, gp::trust_region_length, TuRBO's rule) with UCB
/// (kappa 3) and a design of min(20, max(5, d)); "auto" (default) is local from 10 float/int
/// parameters on, where a global search of the acquisition wanders. Options given explicitly
/// override the profile's choice.
///
/// Initial design: the first `n_initial` points (default: the profile's) are a Sobol
/// sequence with a digital shift drawn from the seed, less as many as the user enqueued
/// (expect_enqueued(): they count in the design, as in Optuna); the model takes over afterwards, once at
/// least two trials are complete. Failed, pruned, interrupted and NaN trials are left out of
/// the model but their points are never suggested again; no point is suggested twice until a
/// finite space is exhausted, after which the best point by acquisition is repeated. The
/// study direction comes in the hidden option "direction" ("minimize" by default).
///
/// Parallelism, two regimes chosen per ask(n, pending):
/// - pending.size() + n <= `max_fantasies` (default 64): the pending trials and the earlier
///   picks of one ask(n) enter as kriging-believer fantasies (posterior mean as value) on a
///   copy of the Cholesky factor, never a refit; each pick maximizes the acquisition afresh.
/// - beyond (thousands of workers), batch mode, qUCB with local penalization and no
///   per-pending-point work (ask_batch()): a pool of `batch_pool` candidates (default 2048;
///   gp::candidate_points) is scored once by a model of at most `batch_model_points`
///   observations (default 300; gp::Surrogate::model_for_batch) and penalized around the
///   pending points (gp::BatchPool); each pick draws kappa_i from an exponential
///   distribution of mean `kappa` and takes the untaken candidate minimizing mean -
///   kappa_i sigma, then penalizes around it. The pool is rebuilt, by counts only, when the
///   observations grew by max(16, 5 %) since the last rebuild or a quarter of it has been
///   picked. The acquisition option does not apply in batch mode. Cost per pick O(pool +
///   pending); per rebuild O(batch_model_points^2 pool + pool pending).
class GpStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "gp";
  static std::vector<OptionSpec> option_specs();

  GpStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  void expect_enqueued(std::size_t count) override { enqueued_ = count; }
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

 private:
  using TakenTest = std::function<bool(const std::vector<double>&)>;

  /// True while the initial design goes on: fewer than n_initial points, the enqueued ones
  /// included, or fewer than two results to model.
  bool designing() const noexcept { return design_index_ + enqueued_ < n_initial_ || surrogate_.size() < 2; }
  /// The next initial-design point not `taken`, if the design is not finished.
  std::optional<std::vector<double>> next_design_point(const TakenTest& taken);
  /// ask() when pending.size() + n > max_fantasies (gp_strategy_batch.cpp).
  std::vector<Suggestion> ask_batch(std::size_t n, const std::vector<TrialRecord>& pending);
  /// Whether the batch pool is to be rebuilt before the next pick (counts only).
  bool batch_refresh_due() const noexcept;
  /// Rebuilds the batch model and pool, penalized around `pending` and `picked`.
  void refresh_batch(const std::vector<TrialRecord>& pending, const std::vector<Suggestion>& picked);
  /// Canonical values of a told or pending point (the point the codec maps it to).
  std::vector<double> canonical(const std::vector<double>& values) const;

  Space space_;
  gp::PointCodec codec_;
  bool local_ = false;             ///< the local profile (trust region, UCB) applies
  gp::Acquisition acquisition_;
  gp::SearchEffort effort_;
  double sign_ = 1.0;              ///< -1 when maximizing: the model always minimizes
  std::uint64_t n_initial_ = 0;              ///< initial design size, enqueued points included
  std::uint64_t enqueued_ = 0;               ///< trials the user enqueued ahead of this strategy
  Rng rng_;
  std::vector<std::uint64_t> design_shift_;  ///< digital shift of the initial Sobol design
  std::uint64_t design_index_ = 0;           ///< Sobol points drawn so far
  gp::Surrogate surrogate_;
  std::vector<std::vector<double>> told_;    ///< every told point, canonical values
  gp::PointSet seen_;                        ///< the same, as a set
  std::size_t max_fantasies_ = 64;           ///< beyond (pending + n), batch mode
  std::size_t batch_model_points_ = 300;     ///< observations of the batch model at most
  std::size_t batch_pool_size_ = 2048;       ///< candidates of the batch pool
  bool trust_region_ = false;                ///< search in a trust region (trust_region.hpp)
  double search_side_ = 0.2;                 ///< global profile: side of the search box; >= 1: the whole space
  std::size_t escape_after_ = 20;            ///< global profile: results without improvement before a whole-space pick
  gp::TrustRegionRule trust_rule_;
  gp::BatchPool batch_;                      ///< the batch pool (batch mode only)
  bool batch_built_ = false;                 ///< batch_ was built at least once
  std::uint64_t batch_built_at_ = 0;         ///< observations when batch_ was built
  std::uint64_t batch_picks_ = 0;            ///< picks from batch_ since
};

}  // namespace h5tune
