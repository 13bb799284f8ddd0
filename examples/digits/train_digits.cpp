// h5tune-digits: a real training task for h5tune's example studies. It trains a small
// perceptron on the UCI handwritten digits (embedded in the program) and speaks h5tune's
// protocol: one `h5tune: step=<epoch> val_loss=... val_acc=... train_loss=...` line per
// epoch (the learning curve early stopping watches) and a final `h5tune: val_loss=...` line.
//
// Exit codes: 0 trained; 1 training diverged or a checkpoint could not be used; 2 bad
// command line. h5tune logs a non-zero exit as a failed trial with the stderr tail.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>

#include "checkpoint.hpp"
#include "dataset.hpp"
#include "mlp.hpp"
#include "options.hpp"

namespace {

constexpr int pixels = 64;
constexpr int classes = 10;

/// A set, non-empty environment variable, or nullptr.
const char* environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

int train(const digits::TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto data = options.data_file ? digits::read_digits_file(*options.data_file) : digits::embedded_digits();
  const auto sets = digits::split(data, options.validation_fraction, options.split_seed);

  std::mt19937_64 rng(options.seed);
  digits::Mlp model(pixels, options.hidden, classes, options.activation, rng);
  std::int64_t epoch = 0;
  if (const char* restore_from = environment("H5TUNE_RESTORE_FROM")) {
    epoch = digits::restore_checkpoint(restore_from, model, rng);
    std::fprintf(stderr, "h5tune-digits: restored epoch %lld from %s\n", static_cast<long long>(epoch), restore_from);
  }

  double train_loss = std::nan("");
  for (int e = 0; e < options.epochs; ++e) {
    train_loss = model.train_epoch(sets.train, options.sgd, rng);
    ++epoch;
    if (!std::isfinite(train_loss)) {
      std::fprintf(stderr,
                   "h5tune-digits: training diverged in epoch %lld (training loss %g); lower --lr or --momentum\n",
                   static_cast<long long>(epoch), train_loss);
      return 1;
    }
    const auto validation = model.evaluate(sets.validation);
    std::printf("h5tune: step=%lld val_loss=%.6f val_acc=%.6f train_loss=%.6f\n", static_cast<long long>(epoch),
                validation.loss, validation.accuracy, train_loss);
    std::fflush(stdout);  // h5tune reads the learning curve while the program runs
  }

  const auto final_scores = model.evaluate(sets.validation);
  if (const char* checkpoint_dir = environment("H5TUNE_CHECKPOINT_DIR"))
    digits::save_checkpoint(checkpoint_dir, model, epoch, rng);
  std::printf("h5tune: val_loss=%.6f val_acc=%.6f\n", final_scores.loss, final_scores.accuracy);
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  std::fprintf(stderr, "h5tune-digits: %d epochs on %lld samples (%lld held out) in %.2f s\n", options.epochs,
               static_cast<long long>(sets.train.size()), static_cast<long long>(sets.validation.size()),
               seconds.count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  digits::TrainOptions options;
  try {
    options = digits::parse_options(argc, argv);
  } catch (const digits::UsageError& e) {
    if (*e.what() != '\0') std::fprintf(stderr, "h5tune-digits: %s\n", e.what());
    std::fputs(digits::usage, *e.what() != '\0' ? stderr : stdout);
    return *e.what() != '\0' ? 2 : 0;
  }
  try {
    return train(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "h5tune-digits: %s\n", e.what());
    return 1;
  }
}
