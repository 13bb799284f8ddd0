#pragma once
// Studies built in code for runtime tests: a small mixed space and a log in a temp dir.
#include <filesystem>

#include "h5tune/study.hpp"

namespace h5tune::test {

inline StudyConfig small_study(const std::filesystem::path& log, std::int64_t max_trials, std::string strategy = "random") {
  StudyConfig study;
  study.name = "test";
  study.metric = "loss";
  study.seed = 1234;
  study.max_trials = max_trials;
  study.log = log;
  study.strategy.kind = std::move(strategy);
  study.space.add_float("x", -5.0, 5.0).add_float("lr", 1e-4, 1.0, true).add_int("layers", 1, 4).add_choice(
      "act", {"relu", "tanh", "gelu"});
  return study;
}

}  // namespace h5tune::test
