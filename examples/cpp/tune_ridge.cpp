// Tunes polynomial ridge regression on a noisy 1-d signal with an in-process objective:
// the function below runs on every worker rank; rank 0 runs the strategy and the log.
#include <cmath>
#include <iostream>
#include <random>
#include <vector>

#include <h5tune/h5tune.hpp>

namespace {

struct Data {
  std::vector<double> x, y;
};

// A fixed dataset (same on every rank): y = sin(3x) + noise.
Data make_data(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.1);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Data d;
  for (std::size_t i = 0; i < n; ++i) {
    d.x.push_back(u(rng));
    d.y.push_back(std::sin(3.0 * d.x.back()) + noise(rng));
  }
  return d;
}

// Solves (A^T A + alpha I) w = A^T y by Gaussian elimination (tiny systems).
std::vector<double> fit(const Data& d, int degree, double alpha, double scale) {
  const auto k = static_cast<std::size_t>(degree + 1);
  std::vector<double> m(k * k, 0.0), b(k, 0.0);
  for (std::size_t i = 0; i < d.x.size(); ++i) {
    std::vector<double> row(k);
    for (std::size_t j = 0; j < k; ++j) row[j] = std::pow(d.x[i] * scale, static_cast<double>(j));
    for (std::size_t r = 0; r < k; ++r) {
      b[r] += row[r] * d.y[i];
      for (std::size_t c = 0; c < k; ++c) m[r * k + c] += row[r] * row[c];
    }
  }
  for (std::size_t r = 0; r < k; ++r) m[r * k + r] += alpha;
  for (std::size_t p = 0; p < k; ++p)
    for (std::size_t r = p + 1; r < k; ++r) {
      const double f = m[r * k + p] / m[p * k + p];
      for (std::size_t c = p; c < k; ++c) m[r * k + c] -= f * m[p * k + c];
      b[r] -= f * b[p];
    }
  std::vector<double> w(k);
  for (std::size_t r = k; r-- > 0;) {
    double s = b[r];
    for (std::size_t c = r + 1; c < k; ++c) s -= m[r * k + c] * w[c];
    w[r] = s / m[r * k + r];
  }
  return w;
}

double mse(const Data& d, const std::vector<double>& w, double scale) {
  double total = 0.0;
  for (std::size_t i = 0; i < d.x.size(); ++i) {
    double pred = 0.0;
    for (std::size_t j = 0; j < w.size(); ++j) pred += w[j] * std::pow(d.x[i] * scale, static_cast<double>(j));
    total += (pred - d.y[i]) * (pred - d.y[i]);
  }
  return total / static_cast<double>(d.x.size());
}

}  // namespace

int main(int argc, char** argv) {
  h5tune::Environment env(argc, argv);  // MPI for the program's lifetime
  if (argc < 2) {
    if (env.rank() == 0) std::cerr << "usage: tune_ridge study.toml [--force]\n";
    return 2;
  }
  try {
    const h5tune::StudyConfig study = h5tune::load_study(argv[1]);
    const Data train = make_data(60, 1);
    const Data validation = make_data(200, 2);

    h5tune::CallableObjective objective([&](const h5tune::Trial& trial, h5tune::Reporter& reporter) {
      const double alpha = trial.number("alpha");
      const auto degree = static_cast<int>(trial.integer("degree"));
      const double scale = trial.choice("features") == "standardized" ? 1.7 : 1.0;
      // Report the validation error as the polynomial grows: a learning curve per trial.
      double val = 0.0;
      for (int d = 1; d <= degree; ++d) {
        val = mse(validation, fit(train, d, alpha, scale), scale);
        if (!reporter.report(d, {{"val_mse", val}})) break;
      }
      return h5tune::Metrics{{"val_mse", val}, {"train_mse", mse(train, fit(train, degree, alpha, scale), scale)}};
    });

    h5tune::RunOptions options;
    options.overwrite = argc > 2 && std::string(argv[2]) == "--force";
    const h5tune::RunSummary summary = h5tune::run_study(study, objective, options);
    if (summary.manager && summary.best)
      std::cout << "best val_mse " << summary.best->value << " (trial " << summary.best->id << "), log "
                << summary.log.string() << "\n";
    return 0;
  } catch (const h5tune::LogExistsError& e) {  // this program's only option is --force
    if (env.rank() == 0) std::cerr << "tune_ridge: " << e.log() << ": log exists; pass --force to replace it\n";
    return 2;
  } catch (const h5tune::InputError& e) {
    if (env.rank() == 0) std::cerr << "tune_ridge: " << e.what() << "\n";
    return 2;
  }
}
