#pragma once
// The command line of h5tune-digits: hyperparameters as flags, budget and seed also from
// the environment h5tune sets for each trial.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "mlp.hpp"

namespace digits {

struct TrainOptions {
  SgdSettings sgd;
  int hidden = 64;
  Activation activation = Activation::relu;
  int epochs = 20;            ///< epochs this run trains (after a restored checkpoint's)
  std::uint64_t seed = 0;     ///< initialization and minibatch order
  std::uint64_t split_seed = 0;  ///< which samples are held out; the same for every trial
  double validation_fraction = 0.2;
  std::optional<std::string> data_file;  ///< instead of the embedded dataset
};

/// A command line or environment the program cannot use; main prints it with the usage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Flags are `--name value` or `--name=value`. Defaults: epochs from H5TUNE_BUDGET when it
/// is set and > 0, else 20; seed from H5TUNE_SEED when set, else 0; flags win over both.
TrainOptions parse_options(int argc, const char* const* argv);

extern const char* const usage;

}  // namespace digits
