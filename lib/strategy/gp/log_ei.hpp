#pragma once
// Acquisition functions of the gp strategy, in minimization form on standardized values.

namespace h5tune::gp {

/// log h(z) with h(z) = phi(z) + z Phi(z), so that EI = sigma h((best - mu) / sigma).
/// Finite for every finite z: where h underflows (z below about -38) it is still computed
/// without cancellation. For z > -3 directly; below, as log phi(|z|) + log R(|z|) - log C(|z|),
/// where R is Mills' ratio and 1 - |z| R(|z|) = R(|z|) / C(|z|) comes from the same continued
/// fraction (R = 1 / (x + 1 / C), C = x + 2 / (x + 3 / (x + ...))), so the difference that
/// makes EI vanish is never formed. Same role as LogEI in Ament et al., "Unexpected
/// improvements to expected improvement for Bayesian optimization", NeurIPS 2023.
double log_h(double z) noexcept;

/// d log h(z) / dz = Phi(z) / h(z), also finite everywhere.
double log_h_derivative(double z) noexcept;

/// log EI(mu, sigma) for minimization below `best`; sigma > 0.
double log_expected_improvement(double mu, double sigma, double best) noexcept;

}  // namespace h5tune::gp
