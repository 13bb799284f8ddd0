#pragma once
// The gp strategy's batch mode: one scored pool of candidates that many picks come from.
#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "strategy/gp/gp_model.hpp"
#include "strategy/gp/point_codec.hpp"

namespace h5tune::gp {

/// Candidate points scored once by a GP, from which the gp strategy's batch mode draws its
/// picks by qUCB, with no refit and no fantasy row per pick.
///
/// assign() scores every candidate at once (posterior mean and standard deviation by
/// GpModel::predict, a blocked triangular solve per 512 candidates). pick(kappa) returns the
/// untaken candidate with the smallest mean - kappa sigma (the model minimizes) and marks it
/// taken; the caller draws kappa per pick from an exponential distribution, as qUCB does
/// (DeepHyper's "qUCB"; Hutter, Hoos, Leyton-Brown, "Parallel algorithm configuration",
/// LION 2012): small kappas exploit the mean, large ones explore.
///
/// Penalty, in the spirit of local penalization (González et al., "Batch Bayesian
/// optimization via local penalization", AISTATS 2016): a pick, and each pending point at a
/// refresh, shrinks the sigma of the candidates around it as one noise-free observation would
/// under the prior, sigma_j = sigma0_j sqrt(1 - rho^2), rho the kernel correlation of
/// candidate j and the nearest such point (in the length-scale-weighted distance). Only the
/// nearest counts, so thousands of pending points near the incumbent do not drive every sigma
/// to zero as a product of penalties would. O(pool) per point (a vectorized distance; the
/// kernel only where the nearest point changed), no solve.
class BatchPool {
 public:
  /// Everything a checkpoint needs to continue exactly (plain arrays; see restore()).
  struct State {
    std::vector<double> values;  ///< candidates' parameter values, one after another
    std::vector<double> mean, sigma0;
    std::vector<double> nearest_r2;  ///< squared scaled distance to the nearest penalizing point
    std::vector<std::uint8_t> taken;
    std::vector<double> theta;  ///< kernel hyperparameters of the scores and penalties
  };

  /// Replaces the pool by `points` (distinct canonical parameter values) scored by `model`.
  void assign(const GpModel& model, const PointCodec& codec, std::vector<std::vector<double>> points);
  /// Shrinks the sigma of the candidates near GP input `x` (a pending or picked point).
  void penalize(const Eigen::VectorXd& x);
  /// The untaken candidate with the smallest mean - kappa sigma for which `accept(values)`
  /// holds; candidates refused on the way, and the one returned, are marked taken, and the
  /// sigmas around the returned one penalized. nullopt when no candidate is left.
  std::optional<std::size_t> pick(double kappa, const std::function<bool(const std::vector<double>&)>& accept);

  const std::vector<double>& values(std::size_t i) const { return values_[i]; }
  std::size_t size() const noexcept { return values_.size(); }

  State state() const;
  /// Restores a state() of the same space; throws InputError when its sizes do not fit.
  void restore(const State& state, const PointCodec& codec);

 private:
  void set_inputs(const PointCodec& codec, const Eigen::VectorXd& theta);
  /// penalize() for a point already divided by the length scales.
  void penalize_scaled(const Eigen::VectorXd& xs);
  /// sigma_(j) from sigma0_(j) and nearest_r2_(j).
  void apply_penalty(Eigen::Index j);

  Eigen::VectorXd theta_;
  Eigen::ArrayXd inv_l_;       ///< 1 / length scale per GP input
  Eigen::MatrixXd scaled_;     ///< candidate GP inputs divided by the length scales, one row each
                               ///< (column-major: a coordinate of every candidate is contiguous)
  std::vector<std::vector<double>> values_;
  Eigen::VectorXd mean_;       ///< posterior mean, standardized units
  Eigen::VectorXd sigma0_;     ///< posterior standard deviation when scored
  Eigen::ArrayXd nearest_r2_;  ///< squared scaled distance to the nearest penalizing point
  Eigen::VectorXd sigma_;      ///< sigma0_ after the penalty of that point
  std::vector<std::uint8_t> taken_;
};

}  // namespace h5tune::gp
