#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "h5tune/command.hpp"
#include "h5tune/space.hpp"
#include "h5tune/stopping.hpp"
#include "h5tune/strategy.hpp"
#include "h5tune/trial.hpp"

namespace h5tune {

/// When a study stops because its objective looks broken: once more than `count` trials
/// failed, or once more than `fraction` of the finished trials failed (judged only after
/// `min_finished_for_fraction` trials finished, so that one early failure does not stop a
/// study). Failures that max_retries re-ran count once, at their last attempt.
struct FailureLimit {
  static constexpr std::int64_t min_finished_for_fraction = 10;
  std::optional<std::int64_t> count;  ///< `max_failures = 10`
  std::optional<double> fraction;     ///< `max_failures = 0.3`, in (0, 1)
  friend bool operator==(const FailureLimit&, const FailureLimit&) = default;
};

/// Everything a study file says, checked: the space, the strategy, the objective, the
/// budget and the log. Built by load_study() from TOML, or in code by a program that
/// links h5tune and evaluates trials in-process.
struct StudyConfig {
  std::string name = "study";
  Direction direction = Direction::minimize;
  std::string metric = "value";          ///< the metric to optimize
  std::uint64_t seed = 0;
  std::int64_t max_trials = 100;         ///< trials to finish (complete, failed or pruned)
  std::optional<std::chrono::duration<double>> max_time;  ///< wall-clock budget of the run
  std::filesystem::path log = "study.h5";  ///< absolute, or relative to the working directory
  bool reproducible = false;  ///< trial k sees only results of trials 0..k-W, told in id order
  std::int32_t max_retries = 0;  ///< runs a failed trial again this often, same id, seed and parameters
  std::optional<FailureLimit> max_failures;  ///< absent: failures never stop the study
  Space space;
  StrategyConfig strategy;
  std::optional<StoppingConfig> stopping;  ///< early stopping on reports; absent: trials always run out
  /// Points to evaluate first, as trials 0, 1, ... in this order, before the strategy
  /// suggests (Optuna's enqueue_trial, Ray Tune's points_to_evaluate): one value per
  /// parameter in Space order, NaN for a parameter left to a random draw seeded from the
  /// study seed. The strategy is told their results like its own. Not with strategies that
  /// continue checkpoints (pbt, successive_halving). `[[enqueue]]` in a study file.
  std::vector<std::vector<double>> enqueued;
  std::optional<CommandSpec> command;    ///< absent when the objective is a C++ callable
  std::filesystem::path source_path;     ///< the study file, if any
  std::string source_text;               ///< the study file's text, stored in the log

  /// Directory trial directories go in when the objective does not name one:
  /// `<log without .h5>.trials` next to the log.
  std::filesystem::path default_trials_dir() const;
};

}  // namespace h5tune
