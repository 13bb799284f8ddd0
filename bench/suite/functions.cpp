#include "functions.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include "h5tune/seed.hpp"

namespace h5tune::bench {
namespace {

using std::numbers::pi;

double branin(std::span<const double> x) {
  const double b = 5.1 / (4.0 * pi * pi), c = 5.0 / pi, t = 1.0 / (8.0 * pi);
  const double q = x[1] - b * x[0] * x[0] + c * x[0] - 6.0;
  return q * q + 10.0 * (1.0 - t) * std::cos(x[0]) + 10.0;
}

// Hartmann functions: -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2), constants as in
// Dixon and Szegő (1978), via the Surjanovic and Bingham virtual library.
constexpr std::array<double, 4> hartmann_alpha{1.0, 1.2, 3.0, 3.2};

template <std::size_t D>
double hartmann(std::span<const double> x, const std::array<std::array<double, D>, 4>& a,
                const std::array<std::array<double, D>, 4>& p) {
  double sum = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {
    double inner = 0.0;
    for (std::size_t j = 0; j < D; ++j) inner += a[i][j] * (x[j] - 1e-4 * p[i][j]) * (x[j] - 1e-4 * p[i][j]);
    sum += hartmann_alpha[i] * std::exp(-inner);
  }
  return -sum;
}

double hartmann3(std::span<const double> x) {
  static constexpr std::array<std::array<double, 3>, 4> a{
      {{3.0, 10, 30}, {0.1, 10, 35}, {3.0, 10, 30}, {0.1, 10, 35}}};
  static constexpr std::array<std::array<double, 3>, 4> p{
      {{3689, 1170, 2673}, {4699, 4387, 7470}, {1091, 8732, 5547}, {381, 5743, 8828}}};
  return hartmann<3>(x, a, p);
}

double hartmann6(std::span<const double> x) {
  static constexpr std::array<std::array<double, 6>, 4> a{{{10, 3, 17, 3.5, 1.7, 8},
                                                           {0.05, 10, 17, 0.1, 8, 14},
                                                           {3, 3.5, 1.7, 10, 17, 8},
                                                           {17, 8, 0.05, 10, 0.1, 14}}};
  static constexpr std::array<std::array<double, 6>, 4> p{{{1312, 1696, 5569, 124, 8283, 5886},
                                                           {2329, 4135, 8307, 3736, 1004, 9991},
                                                           {2348, 1451, 3522, 2883, 3047, 6650},
                                                           {4047, 8828, 8732, 5743, 1091, 381}}};
  return hartmann<6>(x, a, p);
}

double rosenbrock(std::span<const double> x) {
  double sum = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i)
    sum += 100.0 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1.0 - x[i]) * (1.0 - x[i]);
  return sum;
}

// The shift keeps the minimizer away from the centre of the box, where a strategy that
// starts at the centre (cmaes) or a symmetric design would find it for free.
constexpr double ackley_shift = 0.37 * 32.768;

double ackley_shifted(std::span<const double> x) {
  double sq = 0.0, cs = 0.0;
  for (double v : x) {
    const double z = v - ackley_shift;
    sq += z * z;
    cs += std::cos(2.0 * pi * z);
  }
  const double n = static_cast<double>(x.size());
  return -20.0 * std::exp(-0.2 * std::sqrt(sq / n)) - std::exp(cs / n) + 20.0 + std::numbers::e;
}

double levy(std::span<const double> x) {
  const auto w = [&](std::size_t i) { return 1.0 + (x[i] - 1.0) / 4.0; };
  const std::size_t d = x.size();
  const double s0 = std::sin(pi * w(0));
  double sum = s0 * s0;
  for (std::size_t i = 0; i + 1 < d; ++i) {
    const double s = std::sin(pi * w(i) + 1.0);
    sum += (w(i) - 1.0) * (w(i) - 1.0) * (1.0 + 10.0 * s * s);
  }
  const double sd = std::sin(2.0 * pi * w(d - 1));
  sum += (w(d - 1) - 1.0) * (w(d - 1) - 1.0) * (1.0 + sd * sd);
  return sum;
}

// A small "training run" response: the best learning rate depends on the activation (an
// interaction a per-parameter model cannot see), each activation has its own floor, and the
// integers have their optimum inside their range. Every term is >= 0 and all vanish at
// lr = 10^-2.5, layers = 5, act = tanh, dropout = 0.3, units = 128, so f* = 0.
constexpr std::array<double, 4> mixed_best_log10_lr{-3.0, -2.5, -2.0, -1.5};  // relu tanh gelu sigmoid
constexpr std::array<double, 4> mixed_act_floor{0.2, 0.0, 0.1, 0.6};

double mixed5(std::span<const double> x) {
  const auto act = static_cast<std::size_t>(x[2]);
  const double lr_term = std::log10(x[0]) - mixed_best_log10_lr[act];
  const double layers_term = x[1] - 5.0;
  const double dropout_term = x[3] - 0.3;
  const double units_term = std::log2(x[4]) - 7.0;
  return lr_term * lr_term + 0.15 * layers_term * layers_term + mixed_act_floor[act] +
         4.0 * dropout_term * dropout_term + 0.5 * units_term * units_term;
}

Space box(const std::string& prefix, int d, double low, double high) {
  Space s;
  for (int i = 0; i < d; ++i) s.add_float(prefix + std::to_string(i), low, high);
  return s;
}

}  // namespace

std::vector<TestFunction> test_functions() {
  std::vector<TestFunction> fs;
  {
    Space s;
    s.add_float("x0", -5.0, 10.0).add_float("x1", 0.0, 15.0);
    fs.push_back({"branin", s, branin, 5.0 / (4.0 * pi), {pi, 2.275}});
  }
  // Minimizers polished with scipy (BFGS, gtol 1e-12) from the published ones.
  fs.push_back({"hartmann3", box("x", 3, 0.0, 1.0), hartmann3, -3.862779787332663,
                {0.11458889702441237, 0.5556488967529246, 0.8525469840241771}});
  fs.push_back({"hartmann6", box("x", 6, 0.0, 1.0), hartmann6, -3.3223680114155147,
                {0.20168951091191317, 0.1500106932268402, 0.4768739807412908, 0.2753324313524161,
                 0.31165161691270526, 0.6573005366781792}});
  fs.push_back({"rosenbrock4", box("x", 4, -5.0, 10.0), rosenbrock, 0.0, std::vector<double>(4, 1.0)});
  fs.push_back({"ackley10", box("x", 10, -32.768, 32.768), ackley_shifted, 0.0,
                std::vector<double>(10, ackley_shift)});
  fs.push_back({"levy10", box("x", 10, -10.0, 10.0), levy, 0.0, std::vector<double>(10, 1.0)});
  {
    Space s;
    s.add_float("lr", 1e-4, 1.0, true)
        .add_int("layers", 1, 8)
        .add_choice("act", {"relu", "tanh", "gelu", "sigmoid"})
        .add_float("dropout", 0.0, 0.8)
        .add_int("units", 16, 512, true);
    fs.push_back({"mixed5", s, mixed5, 0.0, {std::pow(10.0, -2.5), 5, 1, 0.3, 128}, false});
  }
  return fs;
}

bool self_test(int points) {
  bool ok = true;
  Rng rng(20240601);
  for (const TestFunction& fn : test_functions()) {
    const double at_star = fn.f(fn.x_star);
    const bool star_ok = std::abs(at_star - fn.f_star) <= 1e-9 * std::max(1.0, std::abs(fn.f_star)) &&
                         fn.space.contains(fn.x_star);
    double lowest = std::numeric_limits<double>::infinity();
    for (int k = 0; k < points; ++k) {
      std::vector<double> u(fn.space.size());
      for (double& v : u) v = uniform01(rng);
      lowest = std::min(lowest, fn.f(fn.space.from_unit(u)));
    }
    // Random points may not beat the known minimum (allow rounding of f* itself).
    const bool above_ok = lowest >= fn.f_star - 1e-12 * std::max(1.0, std::abs(fn.f_star));
    std::printf("%-12s f(x*) = %.15g  f* = %.15g  min over %d random points = %.6g  %s\n", fn.name.c_str(),
                at_star, fn.f_star, points, lowest, star_ok && above_ok ? "ok" : "FAILED");
    ok = ok && star_ok && above_ok;
  }
  return ok;
}

}  // namespace h5tune::bench
