#include "options.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace digits {
namespace {

template <typename T>
T parse_number(std::string_view name, std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    throw UsageError(std::string(name) + ": expected a number, got '" + std::string(text) + "'");
  return value;
}

void check(bool ok, const std::string& message) {
  if (!ok) throw UsageError(message);
}

}  // namespace

const char* const usage = R"(usage: h5tune-digits [options]
Trains a one-hidden-layer perceptron on the UCI handwritten digits and prints h5tune protocol
lines: one `h5tune: step=<epoch> ...` per epoch, then the final metrics.
  --lr X             learning rate (default 0.1)
  --momentum X       heavy-ball momentum in [0, 1) (default 0.9)
  --weight-decay X   L2 penalty on the weights (default 0)
  --batch N          minibatch size (default 32)
  --hidden N         hidden units; 0 = softmax regression (default 64)
  --activation A     relu | tanh (default relu)
  --epochs N         epochs to train (default: $H5TUNE_BUDGET when > 0, else 20)
  --seed N           initialization and batch order (default: $H5TUNE_SEED, else 0)
  --split-seed N     which 20 % of the samples are held out for validation (default 0)
  --validation X     held-out fraction (default 0.2)
  --data FILE        a CSV (optionally .gz) of 64 pixels in 0..16 and a label per line,
                     instead of the embedded dataset
Environment: H5TUNE_CHECKPOINT_DIR (save there at the end), H5TUNE_RESTORE_FROM (continue
from the checkpoint there); see examples/digits/README.md.
)";

TrainOptions parse_options(int argc, const char* const* argv) {
  TrainOptions o;
  if (const char* budget = std::getenv("H5TUNE_BUDGET"); budget != nullptr && *budget != '\0') {
    const auto value = parse_number<long long>("H5TUNE_BUDGET", budget);
    if (value > 0) o.epochs = static_cast<int>(std::min<long long>(value, 1'000'000));
  }
  if (const char* seed = std::getenv("H5TUNE_SEED"); seed != nullptr && *seed != '\0')
    o.seed = parse_number<std::uint64_t>("H5TUNE_SEED", seed);

  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view name = args[i];
    std::string_view value;
    if (name == "--help" || name == "-h") throw UsageError("");
    if (const auto eq = name.find('='); eq != std::string_view::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else {
      check(i + 1 < args.size(), std::string(name) + ": missing value");
      value = args[++i];
    }
    const std::string flag(name);
    if (name == "--lr") o.sgd.learning_rate = parse_number<double>(name, value);
    else if (name == "--momentum") o.sgd.momentum = parse_number<double>(name, value);
    else if (name == "--weight-decay") o.sgd.weight_decay = parse_number<double>(name, value);
    else if (name == "--batch") o.sgd.batch_size = parse_number<int>(name, value);
    else if (name == "--hidden") o.hidden = parse_number<int>(name, value);
    else if (name == "--activation") {
      try {
        o.activation = parse_activation(std::string(value));
      } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
      }
    } else if (name == "--epochs") o.epochs = parse_number<int>(name, value);
    else if (name == "--seed") o.seed = parse_number<std::uint64_t>(name, value);
    else if (name == "--split-seed") o.split_seed = parse_number<std::uint64_t>(name, value);
    else if (name == "--validation") o.validation_fraction = parse_number<double>(name, value);
    else if (name == "--data") o.data_file = std::string(value);
    else throw UsageError("unknown option " + flag);
  }
  check(o.sgd.learning_rate > 0.0, "--lr must be > 0");
  check(o.sgd.momentum >= 0.0 && o.sgd.momentum < 1.0, "--momentum must be in [0, 1)");
  check(o.sgd.weight_decay >= 0.0, "--weight-decay must be >= 0");
  check(o.sgd.batch_size >= 1, "--batch must be >= 1");
  check(o.hidden >= 0 && o.hidden <= 100'000, "--hidden must be in [0, 100000]");
  check(o.epochs >= 0, "--epochs must be >= 0");
  check(o.validation_fraction > 0.0 && o.validation_fraction < 1.0, "--validation must be in (0, 1)");
  return o;
}

}  // namespace digits
