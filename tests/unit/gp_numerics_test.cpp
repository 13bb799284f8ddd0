// The GP numerics of the gp strategy: kernel, likelihood, Cholesky growth, log-EI.
#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <cmath>
#include <limits>
#include <numbers>

#include "h5tune/seed.hpp"
#include "strategy/gp/acquisition.hpp"
#include "strategy/gp/gp_model.hpp"
#include "strategy/gp/hyper_fit.hpp"
#include "strategy/gp/log_ei.hpp"
#include "strategy/gp/matern52.hpp"

namespace h5tune::gp {
namespace {

Eigen::MatrixXd random_points(Eigen::Index dims, Eigen::Index n, Rng& rng) {
  Eigen::MatrixXd X(dims, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index d = 0; d < dims; ++d) X(d, j) = uniform01(rng);
  return X;
}

Eigen::VectorXd some_theta(Eigen::Index dims) {
  Eigen::VectorXd theta(Hyper::size(dims));
  for (Eigen::Index d = 0; d < dims; ++d) theta(d) = std::log(0.2 + 0.15 * static_cast<double>(d));
  theta(Hyper::signal(dims)) = std::log(1.7);
  theta(Hyper::noise(dims)) = std::log(1e-2);
  return theta;
}

// EI computed in long double where it is representable, as the reference.
long double reference_h(long double z) {
  const long double phi = std::exp(-z * z / 2) / std::sqrt(2 * std::numbers::pi_v<long double>);
  return phi + z * 0.5L * std::erfc(-z / std::sqrt(2.0L));
}

TEST(GpLogEi, MatchesLogOfEiWhereEiIsRepresentable) {
  for (double z = -25.0; z <= 6.0; z += 0.25) {
    const long double h = reference_h(z);
    EXPECT_NEAR(log_h(z), static_cast<double>(std::log(h)), 1e-9 * (1.0 + std::abs(std::log(h)))) << z;
  }
  const double ei = 0.3 * static_cast<double>(reference_h((1.0 - 1.2) / 0.3));
  EXPECT_NEAR(log_expected_improvement(1.2, 0.3, 1.0), std::log(ei), 1e-12);
}

TEST(GpLogEi, StaysFiniteWhereEiUnderflows) {
  for (const double z : {-40.0, -100.0, -1e4, -1e8}) {
    EXPECT_TRUE(std::isfinite(log_h(z))) << z;
    EXPECT_TRUE(std::isfinite(log_h_derivative(z))) << z;
    // Asymptotically h(z) ~ phi(z) / z^2.
    const double asymptote = -0.5 * z * z - 0.5 * std::log(2.0 * std::numbers::pi) - 2.0 * std::log(-z);
    EXPECT_NEAR(log_h(z), asymptote, 4.0 / (z * z) * std::abs(asymptote) + 1e-9) << z;
  }
  EXPECT_EQ(std::exp(log_h(-40.0)), 0.0);  // the plain EI underflows here
  EXPECT_TRUE(std::isfinite(log_expected_improvement(50.0, 1.0, 10.0)));
  // Monotone: more improvement is always better, also deep in the tail.
  EXPECT_LT(log_h(-41.0), log_h(-40.0));
}

TEST(GpLogEi, DerivativeMatchesFiniteDifferences) {
  for (const double z : {-60.0, -10.0, -3.5, -3.0, -2.5, -1.0, 0.0, 2.0}) {
    const double step = 1e-6 * std::max(1.0, std::abs(z));
    const double fd = (log_h(z + step) - log_h(z - step)) / (2.0 * step);
    EXPECT_NEAR(log_h_derivative(z), fd, 1e-5 * std::max(1.0, std::abs(fd))) << z;
  }
}

TEST(GpKernel, HyperGradientMatchesFiniteDifferences) {
  const Eigen::Index dims = 3;
  Rng rng(1);
  const Eigen::MatrixXd X = random_points(dims, 2, rng);
  const Eigen::VectorXd theta = some_theta(dims);
  const Eigen::VectorXd grad = Matern52(theta).gradient_hyper(X.col(0).data(), X.col(1).data());
  for (Eigen::Index j = 0; j < dims + 1; ++j) {
    Eigen::VectorXd up = theta, down = theta;
    up(j) += 1e-6;
    down(j) -= 1e-6;
    const double fd = (Matern52(up)(X.col(0).data(), X.col(1).data()) -
                       Matern52(down)(X.col(0).data(), X.col(1).data())) / 2e-6;
    EXPECT_NEAR(grad(j), fd, 1e-7) << j;
  }
}

TEST(GpKernel, InputGradientMatchesFiniteDifferences) {
  const Eigen::Index dims = 4;
  Rng rng(2);
  const Eigen::MatrixXd X = random_points(dims, 2, rng);
  const Matern52 k(some_theta(dims));
  const Eigen::VectorXd grad = k.gradient_x(X.col(0).data(), X.col(1).data());
  for (Eigen::Index d = 0; d < dims; ++d) {
    Eigen::VectorXd up = X.col(0), down = X.col(0);
    up(d) += 1e-6;
    down(d) -= 1e-6;
    const double fd = (k(up.data(), X.col(1).data()) - k(down.data(), X.col(1).data())) / 2e-6;
    EXPECT_NEAR(grad(d), fd, 1e-7) << d;
  }
}

TEST(GpKernel, CrossMatrixEqualsPairwiseKernelIncludingCoincidentPoints) {
  const Eigen::Index dims = 10;
  Rng rng(3);
  const Eigen::MatrixXd X = random_points(dims, 40, rng);
  Eigen::MatrixXd C = random_points(dims, 25, rng);
  C.col(0) = X.col(7);  // r = 0 exactly: k = s2
  C.col(1) = X.col(3) + Eigen::VectorXd::Constant(dims, 1e-9);
  const Matern52 k(some_theta(dims));
  const Eigen::MatrixXd K = k.cross_matrix(X, 30, C);
  ASSERT_EQ(K.rows(), 30);
  ASSERT_EQ(K.cols(), 25);
  for (Eigen::Index j = 0; j < C.cols(); ++j)
    for (Eigen::Index i = 0; i < 30; ++i)
      EXPECT_NEAR(K(i, j), k(X.col(i).data(), C.col(j).data()), 1e-12 * k.signal()) << i << ", " << j;
  EXPECT_DOUBLE_EQ(K(7, 0), k.signal());
}

TEST(GpLikelihood, GradientMatchesFiniteDifferences) {
  const Eigen::Index dims = 3;
  Rng rng(3);
  const Eigen::MatrixXd X = random_points(dims, 25, rng);
  Eigen::VectorXd y(25);
  for (Eigen::Index i = 0; i < 25; ++i) y(i) = std::sin(6.0 * X(0, i)) + X(1, i) * X(2, i);
  y = (y.array() - y.mean()) / std::sqrt((y.array() - y.mean()).square().mean());
  const Eigen::VectorXd theta = some_theta(dims);
  Eigen::VectorXd grad, prior_grad = Eigen::VectorXd::Zero(theta.size());
  log_marginal_likelihood(X, y, theta, &grad);
  log_prior(theta, &prior_grad);
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    Eigen::VectorXd up = theta, down = theta;
    up(j) += 1e-5;
    down(j) -= 1e-5;
    const double fd = (log_marginal_likelihood(X, y, up) - log_marginal_likelihood(X, y, down)) / 2e-5;
    EXPECT_NEAR(grad(j), fd, 1e-5 * std::max(1.0, std::abs(fd))) << j;
    const double fd_prior = (log_prior(up) - log_prior(down)) / 2e-5;
    EXPECT_NEAR(prior_grad(j), fd_prior, 1e-6 * std::max(1.0, std::abs(fd_prior))) << j;
  }
}

TEST(GpModel, GrownFactorEqualsFullFactorization) {
  const Eigen::Index dims = 2, n = 30;
  Rng rng(4);
  const Eigen::MatrixXd X = random_points(dims, n, rng);
  const Eigen::VectorXd theta = some_theta(dims);
  GpModel model(dims, theta);
  for (Eigen::Index i = 0; i < n; ++i) ASSERT_TRUE(model.add(X.col(i), std::cos(3.0 * X(0, i))));
  model.standardize();

  const Matern52 k(theta);
  Eigen::MatrixXd K(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) K(i, j) = k(X.col(i).data(), X.col(j).data());
  K.diagonal().array() += k.noise();
  const Eigen::MatrixXd L = Eigen::LLT<Eigen::MatrixXd>(K).matrixL();
  // The factor is private; its predictions expose it: variance = s2 - |L^-1 k*|^2.
  const Eigen::MatrixXd C = random_points(dims, 10, rng);
  Eigen::VectorXd mean, variance;
  model.predict(C, mean, variance);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) y(i) = model.to_standard(std::cos(3.0 * X(0, i)));
  const Eigen::VectorXd alpha = Eigen::LLT<Eigen::MatrixXd>(K).solve(y);
  for (Eigen::Index j = 0; j < C.cols(); ++j) {
    const Eigen::VectorXd ks = k.cross(X, n, C.col(j).data());
    const Eigen::VectorXd v = L.triangularView<Eigen::Lower>().solve(ks);
    EXPECT_NEAR(mean(j), ks.dot(alpha), 1e-9);
    EXPECT_NEAR(variance(j), k.signal() - v.squaredNorm(), 1e-9);
  }
}

TEST(GpModel, InterpolatesNoiseFreeData) {
  const Eigen::Index n = 12;
  Eigen::MatrixXd X(1, n);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    X(0, i) = (static_cast<double>(i) + 0.3) / static_cast<double>(n);
    y(i) = std::sin(7.0 * X(0, i)) + X(0, i);
  }
  const Eigen::VectorXd ys = (y.array() - y.mean()) / std::sqrt((y.array() - y.mean()).square().sum() / (n - 1));
  Rng rng(5);
  const Eigen::VectorXd theta = fit_hyper(X, ys, default_hyper(1), rng, 2, 50);
  EXPECT_LT(std::exp(theta(Hyper::noise(1))), 1e-3) << "noise-free data fitted as noisy";
  GpModel model(1, theta);
  for (Eigen::Index i = 0; i < n; ++i) ASSERT_TRUE(model.add(X.col(i), y(i)));
  model.standardize();
  Eigen::VectorXd mean, variance;
  model.predict(X, mean, variance);
  for (Eigen::Index i = 0; i < n; ++i) {
    EXPECT_NEAR(mean(i), model.to_standard(y(i)), 1e-2) << i;
    EXPECT_LT(variance(i), 1e-3 * model.kernel().signal()) << i;
  }
  // Away from the data the model is uncertain.
  Eigen::MatrixXd far(1, 1);
  far(0, 0) = 3.0;
  model.predict(far, mean, variance);
  EXPECT_GT(variance(0), 0.5 * model.kernel().signal());
}

TEST(GpModel, FantasyKeepsTheMeanAndShrinksTheVariance) {
  const Eigen::Index dims = 2;
  Rng rng(6);
  const Eigen::MatrixXd X = random_points(dims, 15, rng);
  GpModel model(dims, some_theta(dims));
  for (Eigen::Index i = 0; i < X.cols(); ++i) ASSERT_TRUE(model.add(X.col(i), X(0, i) - X(1, i)));
  model.standardize();
  const Eigen::MatrixXd C = random_points(dims, 8, rng);
  Eigen::VectorXd mean0, var0, mean1, var1;
  model.predict(C, mean0, var0);
  GpModel believer = model;
  ASSERT_TRUE(believer.add_fantasy(C.col(0)));
  believer.predict(C, mean1, var1);
  EXPECT_EQ(believer.best(), std::min(model.best(), mean0(0)));
  for (Eigen::Index j = 0; j < C.cols(); ++j) {
    EXPECT_NEAR(mean1(j), mean0(j), 1e-8);
    EXPECT_LE(var1(j), var0(j) + 1e-12);
  }
  EXPECT_LT(var1(0), 0.1 * var0(0));
}

TEST(GpModel, FantasyPredictedBelowTheBestBecomesTheIncumbent) {
  // (x - 0.5)^2 observed on 0, 0.1, ..., 1 but 0.5: the mean at 0.5 is below every
  // observation, at 0.95 not.
  GpModel model(1, some_theta(1));
  for (int i = 0; i <= 10; ++i) {
    const double x = 0.1 * i;
    if (i == 5) continue;
    ASSERT_TRUE(model.add(Eigen::VectorXd::Constant(1, x), (x - 0.5) * (x - 0.5)));
  }
  model.standardize();
  Eigen::MatrixXd at(1, 2);
  at << 0.5, 0.95;
  Eigen::VectorXd mean, variance;
  model.predict(at, mean, variance);
  ASSERT_LT(mean(0), model.best());
  ASSERT_GT(mean(1), model.best());

  GpModel above = model;
  ASSERT_TRUE(above.add_fantasy(at.col(1)));
  EXPECT_EQ(above.best(), model.best());
  GpModel below = model;
  ASSERT_TRUE(below.add_fantasy(at.col(0)));
  EXPECT_NEAR(below.best(), mean(0), 1e-12);
}

TEST(GpAcquisition, GradientMatchesFiniteDifferences) {
  const Eigen::Index dims = 3;
  Rng rng(7);
  const Eigen::MatrixXd X = random_points(dims, 20, rng);
  GpModel model(dims, some_theta(dims));
  for (Eigen::Index i = 0; i < X.cols(); ++i) ASSERT_TRUE(model.add(X.col(i), std::sin(4.0 * X(0, i)) + X(2, i)));
  model.standardize();
  for (const auto kind : {Acquisition::Kind::log_ei, Acquisition::Kind::ucb}) {
    const Acquisition a{kind, 2.0};
    const Eigen::VectorXd x = random_points(dims, 1, rng).col(0);
    Eigen::VectorXd grad, unused;
    const double value = a.value_with_gradient(model, x, grad);
    Eigen::VectorXd mean, variance;
    model.predict(x, mean, variance);
    EXPECT_NEAR(value, a.value(mean(0), variance(0), model.best()), 1e-10);
    for (Eigen::Index d = 0; d < dims; ++d) {
      Eigen::VectorXd up = x, down = x;
      up(d) += 1e-6;
      down(d) -= 1e-6;
      const double fd = (a.value_with_gradient(model, up, unused) - a.value_with_gradient(model, down, unused)) / 2e-6;
      EXPECT_NEAR(grad(d), fd, 1e-4 * std::max(1.0, std::abs(fd))) << d;
    }
  }
}

}  // namespace
}  // namespace h5tune::gp
