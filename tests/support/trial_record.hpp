#pragma once
// A finished trial as a strategy's tell() receives it, for strategy tests.
#include <cstdint>
#include <vector>

#include "h5tune/strategy.hpp"
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

/// A trial that ended in `state`, with neither values nor a value: what a stopping rule's
/// finished() needs.
inline TrialRecord ended_trial(std::int64_t id, TrialState state = TrialState::complete) {
  TrialRecord t;
  t.id = id;
  t.state = state;
  return t;
}

/// A finished trial of suggestion `s` (its values, parent and budget); the value is NaN
/// unless the trial completed.
inline TrialRecord told_suggestion(std::int64_t id, const Suggestion& s, double value,
                                   TrialState state = TrialState::complete) {
  TrialRecord t = told_trial(id, s.values, state == TrialState::complete ? value : TrialRecord::nan, state);
  t.parent = s.parent;
  t.budget = s.budget;
  return t;
}

}  // namespace h5tune::test
