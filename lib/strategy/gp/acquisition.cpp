#include "strategy/gp/acquisition.hpp"

#include <cmath>

#include "strategy/gp/log_ei.hpp"

namespace h5tune::gp {

double Acquisition::value(double mean, double variance, double best) const noexcept {
  const double sigma = std::sqrt(variance);
  if (kind == Kind::ucb) return kappa * sigma - mean;
  return log_expected_improvement(mean, sigma, best);
}

double Acquisition::value_with_gradient(const GpModel& model, const Eigen::VectorXd& x,
                                        Eigen::VectorXd& grad) const {
  const Posterior p = model.predict_with_gradient(x);
  const double sigma = std::sqrt(p.variance);
  const Eigen::VectorXd sigma_gradient = p.variance_gradient / (2.0 * sigma);
  if (kind == Kind::ucb) {
    grad = kappa * sigma_gradient - p.mean_gradient;
    return kappa * sigma - p.mean;
  }
  // log EI = log sigma + log h(z), z = (best - mean) / sigma.
  const double z = (model.best() - p.mean) / sigma;
  const double dlogh = log_h_derivative(z);
  grad = sigma_gradient / sigma + dlogh * (-p.mean_gradient - z * sigma_gradient) / sigma;
  return std::log(sigma) + log_h(z);
}

}  // namespace h5tune::gp
