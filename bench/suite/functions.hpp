#pragma once
// Test functions with known minima for the sample-efficiency suite (docs/benchmarks.md,
// "Sample efficiency"). bench/suite/functions.py holds the same functions for the Python
// baselines; `sample_efficiency --print-values` and `functions.py --check` keep them equal.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "h5tune/space.hpp"

namespace h5tune::bench {

/// One minimization problem: a space, a function of parameter values in Space order
/// (categoricals as choice indices), and its global minimum f* at x*.
struct TestFunction {
  std::string name;
  Space space;
  std::function<double(std::span<const double>)> f;
  double f_star = 0.0;
  std::vector<double> x_star;
  bool continuous = true;  ///< every parameter a float (the cmaes comparison uses these only)
};

/// The suite, in the order the tables list it:
///   branin      2-d, [-5,10]x[0,15], f* = 0.397887 (three minimizers; x* = (pi, 2.275))
///   hartmann3   3-d, [0,1]^3, f* = -3.862782
///   hartmann6   6-d, [0,1]^6, f* = -3.322368
///   rosenbrock4 4-d, [-5,10]^4, f* = 0 at (1,1,1,1)
///   ackley10    10-d, [-32.768,32.768]^10, Ackley shifted so that x*_i = 0.37 * 32.768
///               (unit coordinate 0.685 on every axis, away from the centre of the box)
///   levy10      10-d, [-10,10]^10, f* = 0 at (1,...,1)
///   mixed5      lr (log float [1e-4,1]), layers (int [1,8]), act (choice of 4),
///               dropout (float [0,0.8]), units (log int [16,512]); f* = 0 (see functions.cpp)
std::vector<TestFunction> test_functions();

/// Checks f(x*) = f* (to 1e-9 relative) and f >= f* on `points` random points of each
/// function; prints one line per function and returns false if any check fails.
bool self_test(int points);

}  // namespace h5tune::bench
