#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "h5tune/command.hpp"
#include "h5tune/space.hpp"
#include "h5tune/stopping.hpp"
#include "h5tune/strategy.hpp"
#include "h5tune/trial.hpp"

namespace h5tune {

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
  bool reproducible = false;  ///< trial k sees only results of trials 0..k-W-1, told in id order
  Space space;
  StrategyConfig strategy;
  std::optional<StoppingConfig> stopping;  ///< early stopping on reports; absent: trials always run out
  std::optional<CommandSpec> command;    ///< absent when the objective is a C++ callable
  std::filesystem::path source_path;     ///< the study file, if any
  std::string source_text;               ///< the study file's text, stored in the log

  /// Directory trial directories go in when the objective does not name one:
  /// `<log without .h5>.trials` next to the log.
  std::filesystem::path default_trials_dir() const;
};

}  // namespace h5tune
