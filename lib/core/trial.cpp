#include "h5tune/trial.hpp"

#include <array>

namespace h5tune {
namespace {
constexpr std::array<std::string_view, 6> state_names{"pending", "running", "complete",
                                                      "failed", "pruned", "interrupted"};
}

std::string_view to_string(TrialState state) noexcept {
  const auto i = static_cast<std::size_t>(state);
  return i < state_names.size() ? state_names[i] : std::string_view("unknown");
}

std::optional<TrialState> parse_trial_state(std::string_view name) noexcept {
  for (std::size_t i = 0; i < state_names.size(); ++i)
    if (state_names[i] == name) return static_cast<TrialState>(i);
  return std::nullopt;
}

TrialRecord rerun_record(const TrialRecord& logged) {
  TrialRecord t;
  t.id = logged.id;
  t.seed = logged.seed;
  t.state = TrialState::running;
  t.values = logged.values;
  t.parent = logged.parent;
  t.budget = logged.budget;
  t.t_created = logged.t_created;
  t.attempt = logged.attempt;
  t.rank = logged.rank;
  t.host = logged.host;
  return t;
}

bool is_finished(TrialState state) noexcept {
  return state != TrialState::pending && state != TrialState::running;
}

std::optional<double> find_metric(const Metrics& metrics, std::string_view name) noexcept {
  for (const auto& m : metrics)
    if (m.name == name) return m.value;
  return std::nullopt;
}

std::string_view to_string(Direction direction) noexcept {
  return direction == Direction::maximize ? "maximize" : "minimize";
}

}  // namespace h5tune
