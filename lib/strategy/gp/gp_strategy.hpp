#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"
#include "strategy/gp/acquisition.hpp"
#include "strategy/gp/acquisition_search.hpp"
#include "strategy/gp/point_codec.hpp"
#include "strategy/gp/surrogate.hpp"

namespace h5tune {

/// Bayesian optimization with a Gaussian-process surrogate (kind "gp").
///
/// Model: a GP with the Matérn-5/2 ARD kernel over the unit cube (categoricals one-hot, see
/// gp::PointCodec), standardized values, hyperparameters by MAP with Gamma priors and
/// multi-start L-BFGS-B on a refit schedule (gp::Surrogate); local model beyond `max_exact`.
/// Acquisition: log-EI (default) or UCB, maximized over Sobol points and perturbations of the
/// best points, polished by L-BFGS-B (gp::maximize_acquisition). Reference: Snoek, Larochelle,
/// Adams, "Practical Bayesian optimization of machine learning algorithms", NIPS 2012.
///
/// Initial design: the first `n_initial` points (default min(20, max(5, 2 d))) are a Sobol
/// sequence with a digital shift drawn from the seed; the model takes over afterwards, once at
/// least two trials are complete. Pending trials and the earlier picks of one ask(n) enter as
/// kriging-believer fantasies (posterior mean as value) on a copy of the Cholesky factor,
/// never a refit. Failed, pruned, interrupted and NaN trials are left out of the model but
/// their points are never suggested again; no point is suggested twice until a finite space
/// is exhausted, after which the best point by acquisition is repeated. The study direction
/// comes in the hidden option "direction" ("minimize" by default).
class GpStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "gp";
  static std::vector<OptionSpec> option_specs();

  GpStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

 private:
  /// The next initial-design point not in `taken`, if the design is not finished.
  std::optional<std::vector<double>> next_design_point(const gp::PointSet& taken);
  /// Canonical values of a told or pending point (the point the codec maps it to).
  std::vector<double> canonical(const std::vector<double>& values) const;

  Space space_;
  gp::PointCodec codec_;
  gp::Acquisition acquisition_;
  gp::SearchEffort effort_;
  double sign_ = 1.0;              ///< -1 when maximizing: the model always minimizes
  std::uint64_t n_initial_ = 0;
  Rng rng_;
  std::vector<std::uint64_t> design_shift_;  ///< digital shift of the initial Sobol design
  std::uint64_t design_index_ = 0;           ///< Sobol points drawn so far
  gp::Surrogate surrogate_;
  std::vector<std::vector<double>> told_;    ///< every told point, canonical values
  gp::PointSet seen_;                        ///< the same, as a set
};

}  // namespace h5tune
