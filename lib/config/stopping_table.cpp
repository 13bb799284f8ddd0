#include <fmt/format.h>

#include "config/sections.hpp"

namespace h5tune::config {
namespace {

constexpr const char* kinds_list = "median, asha, hyperband";

StoppingKind read_stopping_kind(const Section& stopping) {
  const auto name = stopping.text("kind");
  if (!name) stopping.fail_missing("kind", fmt::format("missing; expected one of: {}", kinds_list));
  const auto kind = parse_stopping_kind(*name);
  if (!kind) stopping.fail("kind", fmt::format("unknown stopping kind '{}'; expected one of: {}", *name, kinds_list));
  return *kind;
}

// A key that means nothing to the chosen kind is an error rather than silently ignored.
void refuse_keys_of_other_kinds(const Section& stopping, StoppingKind kind) {
  const bool median = kind == StoppingKind::median;
  for (const auto& entry : stopping.entries()) {
    const auto name = entry.key->str();
    const bool median_only = name == "warmup_trials" || name == "warmup_steps";
    const bool rungs_only = name == "min_resource" || name == "max_resource" || name == "reduction_factor";
    const bool hyperband_only = name == "shared_rungs";
    const char* applies_to = median_only ? "\"median\"" : hyperband_only ? "\"hyperband\"" : "\"asha\" or \"hyperband\"";
    if ((median_only && !median) || (rungs_only && median) || (hyperband_only && kind != StoppingKind::hyperband)) {
      stopping.file().fail(entry.key->source(), stopping.key_path(name),
                           fmt::format("'{}' applies to kind = {} only, not to kind = \"{}\"", name, applies_to,
                                       to_string(kind)));
    }
  }
}

}  // namespace

StoppingConfig read_stopping_table(const Section& stopping) {
  stopping.allow_only(
      {"kind", "metric", "min_resource", "max_resource", "reduction_factor", "shared_rungs", "warmup_trials",
       "warmup_steps"});
  StoppingConfig config;
  config.kind = read_stopping_kind(stopping);
  refuse_keys_of_other_kinds(stopping, config.kind);
  if (auto metric = stopping.text("metric")) {
    if (auto problem = check_metric_name(*metric); !problem.empty()) stopping.fail("metric", problem);
    config.metric = std::move(*metric);
  }
  if (config.kind == StoppingKind::median) {
    if (auto trials = stopping.integer("warmup_trials", 0)) config.warmup_trials = *trials;
    if (auto steps = stopping.integer("warmup_steps", 0)) config.warmup_steps = *steps;
    return config;
  }
  if (auto min = stopping.integer("min_resource", 1)) config.min_resource = *min;
  if (auto eta = stopping.integer("reduction_factor", 2)) config.reduction_factor = *eta;
  if (auto shared = stopping.boolean("shared_rungs")) config.shared_rungs = *shared;
  const auto max = stopping.integer("max_resource", 1);
  if (!max) {
    stopping.fail_missing("max_resource",
                          fmt::format("missing; kind = \"{}\" needs a trial's full budget in reported steps, "
                                      "e.g. max_resource = 81",
                                      to_string(config.kind)));
  }
  config.max_resource = *max;
  if (config.max_resource <= config.min_resource) {
    stopping.fail("max_resource", fmt::format("expected max_resource > min_resource ({}), got {}",
                                              config.min_resource, config.max_resource));
  }
  return config;
}

}  // namespace h5tune::config
