#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/stopping.hpp"
#include "stopping/asha_rule.hpp"
#include "stopping/hyperband_rule.hpp"
#include "stopping/median_rule.hpp"

namespace h5tune {

std::string_view to_string(StoppingKind kind) noexcept {
  switch (kind) {
    case StoppingKind::median: return "median";
    case StoppingKind::asha: return "asha";
    case StoppingKind::hyperband: return "hyperband";
  }
  return "unknown";
}

std::optional<StoppingKind> parse_stopping_kind(std::string_view name) noexcept {
  for (const auto kind : {StoppingKind::median, StoppingKind::asha, StoppingKind::hyperband})
    if (to_string(kind) == name) return kind;
  return std::nullopt;
}

std::string check_stopping_config(const StoppingConfig& config) {
  if (config.kind == StoppingKind::median) {
    if (config.warmup_trials < 0) return fmt::format("warmup_trials must be >= 0, got {}", config.warmup_trials);
    if (config.warmup_steps < 0) return fmt::format("warmup_steps must be >= 0, got {}", config.warmup_steps);
    return {};
  }
  const auto kind = to_string(config.kind);
  if (config.min_resource < 1) return fmt::format("min_resource must be >= 1, got {}", config.min_resource);
  if (config.max_resource <= 0)
    return fmt::format("kind '{}' needs max_resource, a trial's full budget in reported steps", kind);
  if (config.reduction_factor < 2)
    return fmt::format("reduction_factor must be >= 2, got {}", config.reduction_factor);
  if (config.min_resource >= config.max_resource)
    return fmt::format("max_resource ({}) must be greater than min_resource ({})", config.max_resource,
                       config.min_resource);
  return {};
}

std::unique_ptr<StoppingRule> make_stopping_rule(const StoppingConfig& config, Direction direction,
                                                 std::uint64_t seed) {
  if (auto problem = check_stopping_config(config); !problem.empty())
    throw InputError(fmt::format("stopping rule '{}': {}", to_string(config.kind), problem));
  switch (config.kind) {
    case StoppingKind::median:
      return std::make_unique<stopping::MedianRule>(config.warmup_trials, config.warmup_steps, direction);
    case StoppingKind::asha:
      return std::make_unique<stopping::AshaRule>(config.min_resource, config.max_resource, config.reduction_factor,
                                                  direction);
    case StoppingKind::hyperband:
      return std::make_unique<stopping::HyperbandRule>(config.min_resource, config.max_resource,
                                                       config.reduction_factor, direction, config.shared_rungs, seed);
  }
  throw InputError("unknown stopping kind");
}

}  // namespace h5tune
