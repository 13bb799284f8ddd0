#pragma once
// Output warping of the gp strategy: a monotone transform of the observed values fitted
// to make them look Gaussian before the GP sees them.
#include <vector>

namespace h5tune::gp {

/// Yeo-Johnson power transform (Yeo and Johnson, Biometrika 87(4), 2000) of the values,
/// standardized first, with the exponent lambda in [-2, 2] that maximizes the Gaussian
/// log-likelihood of the result (as scikit-learn's PowerTransformer; HEBO, Cowen-Rivers et
/// al., JAIR 2022, showed that warping outputs this way helps BO on heavy-tailed
/// objectives). Monotone increasing, so the order of the values (the incumbent, EI's sense
/// of better) is kept; a heavy right tail (a few very bad trials, as Rosenbrock's corners
/// or a diverged training) is compressed, so the GP spends its variance near the good
/// values instead. Fewer than 3 values, or values all equal, come back unchanged.
std::vector<double> yeo_johnson_warp(const std::vector<double>& values);

}  // namespace h5tune::gp
