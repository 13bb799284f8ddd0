#pragma once
// The acquisition functions the gp strategy maximizes.
#include <Eigen/Core>

#include "strategy/gp/gp_model.hpp"

namespace h5tune::gp {

/// What the gp strategy maximizes to pick the next point, in standardized units and
/// minimization form: log expected improvement below the best observed value (default), or
/// the lower confidence bound written as a maximization, kappa sigma - mean (option "ucb").
struct Acquisition {
  enum class Kind : unsigned char { log_ei, ucb };
  Kind kind = Kind::log_ei;
  double kappa = 2.0;

  /// Value at each point from its posterior mean and variance; `best` is the incumbent.
  double value(double mean, double variance, double best) const noexcept;
  /// Value and gradient in x at one point of `model`.
  double value_with_gradient(const GpModel& model, const Eigen::VectorXd& x,
                             Eigen::VectorXd& grad) const;
};

}  // namespace h5tune::gp
