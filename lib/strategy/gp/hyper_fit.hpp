#pragma once
// Fitting the gp strategy's kernel hyperparameters: MAP by multi-start L-BFGS-B.
#include <Eigen/Core>

#include "h5tune/seed.hpp"

namespace h5tune::gp {

/// log p(y | X, theta) of a zero-mean GP with the Matérn-5/2 kernel plus noise, for inputs as
/// columns of X and (standardized) targets y; with its analytic gradient in theta when `grad`
/// is given: d/dtheta_j = 1/2 tr((alpha alpha' - K^-1) dK/dtheta_j) (Rasmussen and Williams
/// 2006, eq. 5.9). -infinity when K is not numerically positive definite.
double log_marginal_likelihood(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                               const Eigen::VectorXd& theta, Eigen::VectorXd* grad = nullptr);

/// log prior density of theta (up to a constant), gradient added to `grad` when given.
/// Gamma priors on the natural parameters, BoTorch's former defaults for inputs in the unit
/// cube and standardized outputs: length scales Gamma(3, 6) (mode 1/3), signal variance
/// Gamma(2, 0.15), noise variance Gamma(1.1, 0.05).
double log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* grad = nullptr);

/// Box bounds of theta (log scale): length scales [0.01, 100], signal variance [0.01, 100],
/// noise variance [1e-6, 1] (the floor keeps K invertible on noise-free data).
void hyper_bounds(Eigen::Index dims, Eigen::VectorXd& lower, Eigen::VectorXd& upper);

/// The starting theta before any fit: length scales 1/3 (prior mode), s2 = 1, noise 1e-4.
Eigen::VectorXd default_hyper(Eigen::Index dims);

/// Maximizes log_marginal_likelihood + log_prior by L-BFGS-B (LBFGS++) from `warm` and from
/// `random_starts` points drawn uniformly (log scale) in the bounds with `rng`; returns the
/// best theta found (`warm`, clamped, if every start fails). `max_iterations` per start.
Eigen::VectorXd fit_hyper(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                          const Eigen::VectorXd& warm, Rng& rng, int random_starts,
                          int max_iterations);

}  // namespace h5tune::gp
