#include <exception>
#include <string>

#include "h5tune/objective.hpp"

namespace h5tune {

CallableObjective::CallableObjective(ObjectiveFunction function) : function_(std::move(function)) {}

Outcome CallableObjective::evaluate(const Trial& trial, Reporter& reporter) {
  Outcome outcome;
  try {
    outcome.metrics = function_(trial, reporter);
  } catch (const std::exception& e) {
    outcome.state = TrialState::failed;
    outcome.message = std::string("exception: ") + e.what();
    return outcome;
  } catch (...) {
    outcome.state = TrialState::failed;
    outcome.message = "unknown exception";
    return outcome;
  }
  // A function that returned because it was asked to stop did not finish its budget: its
  // metrics are partial, so the trial counts as pruned (they are kept for inspection).
  if (reporter.should_stop()) {
    outcome.state = TrialState::pruned;
    outcome.message = stop_request_message;
  }
  return outcome;
}

}  // namespace h5tune
