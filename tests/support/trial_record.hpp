#pragma once
// A finished trial as a strategy's tell() receives it, for strategy tests.
#include <cstdint>
#include <vector>

#include "h5tune/trial.hpp"

namespace h5tune::test {

inline TrialRecord told_trial(std::int64_t id, std::vector<double> values, double value,
                              TrialState state = TrialState::complete) {
  TrialRecord t;
  t.id = id;
  t.state = state;
  t.values = std::move(values);
  t.value = value;
  return t;
}

}  // namespace h5tune::test
