#pragma once
// The standard normal distribution truncated to an interval, computed in log space so that
// masses far in the tails (a discretized integer slice 80 sigmas from a kernel's centre)
// stay finite instead of underflowing to log(0). TPE's Parzen estimators are mixtures of
// these kernels.
#include "h5tune/seed.hpp"

namespace h5tune::tpe {

/// log Phi(x), the log of the standard normal CDF, accurate for every finite x (an
/// asymptotic series below -20, where Phi underflows).
double log_ndtr(double x) noexcept;

/// log(Phi(b) - Phi(a)) for a <= b: the log of the standard normal mass of [a, b],
/// accurate when the interval lies far in either tail.
double log_gauss_mass(double a, double b) noexcept;

/// log density at z of the standard normal truncated to [a, b] (-inf outside).
double truncated_log_pdf(double z, double a, double b) noexcept;

/// The quantile u in [0, 1) of the standard normal truncated to [a, b], by inversion of
/// the CDF in whichever tail keeps precision. Result clamped to [a, b].
double truncated_quantile(double u, double a, double b) noexcept;

/// One draw of N(mu, sigma^2) truncated to [low, high]: one uniform01 from `rng`.
double sample_truncated_normal(Rng& rng, double mu, double sigma, double low, double high) noexcept;

}  // namespace h5tune::tpe
