// The gp strategy's output warping (Yeo-Johnson) and the model's retargeting.
#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "h5tune/seed.hpp"
#include "strategy/gp/gp_model.hpp"
#include "strategy/gp/hyper_fit.hpp"
#include "strategy/gp/output_warp.hpp"

namespace h5tune::gp {
namespace {

double skewness(const std::vector<double>& v) {
  const double n = static_cast<double>(v.size());
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double m2 = 0, m3 = 0;
  for (double x : v) m2 += (x - mean) * (x - mean) / n, m3 += (x - mean) * (x - mean) * (x - mean) / n;
  return m3 / std::pow(m2, 1.5);
}

double gaussian(Rng& rng) {  // Box-Muller, enough for test data
  const double u = 1.0 - uniform01(rng), v = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
}

TEST(GpOutputWarp, KeepsTheOrderAndRemovesAHeavyRightTail) {
  // Rosenbrock-like values: most small, a few huge (log-normal).
  Rng rng(7);
  std::vector<double> y(200);
  for (auto& v : y) v = std::exp(2.0 * gaussian(rng));
  const auto w = yeo_johnson_warp(y);
  ASSERT_EQ(w.size(), y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    for (std::size_t j = 0; j < y.size(); ++j) {
      if (y[i] < y[j]) {
        ASSERT_LT(w[i], w[j]) << "monotone increasing";
      }
    }
  }
  EXPECT_GT(skewness(y), 5.0);
  EXPECT_LT(std::abs(skewness(w)), skewness(y) / 3.0) << "the tail is compressed";
}

TEST(GpOutputWarp, GaussianValuesComeBackStandardized) {
  // The likelihood's optimum is near lambda = 1, the identity after standardizing.
  Rng rng(3);
  std::vector<double> y(500);
  for (auto& v : y) v = 10.0 + 3.0 * gaussian(rng);
  const auto w = yeo_johnson_warp(y);
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / 500.0;
  double var = 0;
  for (double v : y) var += (v - mean) * (v - mean) / 500.0;
  for (std::size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(w[i], (y[i] - mean) / std::sqrt(var), 0.15) << y[i];
}

TEST(GpOutputWarp, FewOrEqualValuesAreLeftAlone) {
  EXPECT_EQ(yeo_johnson_warp({}), std::vector<double>{});
  EXPECT_EQ(yeo_johnson_warp({1.0, 5.0}), (std::vector<double>{1.0, 5.0}));
  EXPECT_EQ(yeo_johnson_warp({2.0, 2.0, 2.0}), (std::vector<double>{2.0, 2.0, 2.0}));
  const auto w = yeo_johnson_warp({0.0, 1.0, 1e12});
  EXPECT_TRUE(std::all_of(w.begin(), w.end(), [](double v) { return std::isfinite(v); }));
}

TEST(GpModel, RetargetEqualsAModelBuiltWithTheNewTargets) {
  const Eigen::Index dims = 2, n = 25;
  Rng rng(11);
  Eigen::MatrixXd X(dims, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index d = 0; d < dims; ++d) X(d, j) = uniform01(rng);
  Eigen::VectorXd theta = default_hyper(dims);
  std::vector<double> before(n), after(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    before[static_cast<std::size_t>(i)] = std::exp(4.0 * X(0, i));
    after[static_cast<std::size_t>(i)] = std::sin(5.0 * X(1, i));
  }
  GpModel grown(dims, theta), fresh(dims, theta);
  for (Eigen::Index i = 0; i < n; ++i) {
    ASSERT_TRUE(grown.add(X.col(i), before[static_cast<std::size_t>(i)]));
    ASSERT_TRUE(fresh.add(X.col(i), after[static_cast<std::size_t>(i)]));
  }
  grown.standardize();
  grown.retarget(after);
  fresh.standardize();
  Eigen::MatrixXd C(dims, 8);
  for (Eigen::Index j = 0; j < C.cols(); ++j)
    for (Eigen::Index d = 0; d < dims; ++d) C(d, j) = uniform01(rng);
  Eigen::VectorXd m1, v1, m2, v2;
  grown.predict(C, m1, v1);
  fresh.predict(C, m2, v2);
  for (Eigen::Index j = 0; j < C.cols(); ++j) {
    EXPECT_NEAR(m1(j), m2(j), 1e-12);
    EXPECT_NEAR(v1(j), v2(j), 1e-12);
  }
  EXPECT_DOUBLE_EQ(grown.best(), fresh.best());
}

}  // namespace
}  // namespace h5tune::gp
