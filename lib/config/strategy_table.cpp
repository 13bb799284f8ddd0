#include <algorithm>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "config/sections.hpp"
#include "h5tune/error.hpp"

namespace h5tune::config {
namespace {

// The TOML value as an OptionValue, or nothing for arrays, tables and dates (no strategy
// option takes those).
std::optional<OptionValue> option_value(const toml::node& node) {
  if (const auto* b = node.as_boolean()) return OptionValue(b->get());
  if (const auto* i = node.as_integer()) return OptionValue(i->get());
  if (const auto* f = node.as_floating_point()) return OptionValue(f->get());
  if (const auto* s = node.as_string()) return OptionValue(s->get());
  return std::nullopt;
}

std::string read_strategy_kind(const Section& strategy) {
  const auto kinds = strategy_kinds();
  const std::string kind = strategy.text("kind").value_or("random");
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    strategy.fail("kind", fmt::format("unknown strategy kind '{}'; expected one of: {}", kind, join(kinds)));
  }
  return kind;
}

// The first of an option error's options that the table sets, for its line.
std::optional<std::string> option_in_table(const OptionError& e, const Section& strategy) {
  for (const auto& name : e.options())
    if (strategy.find(name)) return name;
  return std::nullopt;
}

}  // namespace

StrategyConfig read_strategy_table(const Section& strategy, const Space& space) {
  StrategyConfig config;
  config.kind = read_strategy_kind(strategy);
  const auto& specs = strategy_options(config.kind);
  for (const auto& entry : strategy.entries()) {
    const std::string name(entry.key->str());
    if (name == "kind") continue;
    const auto spec = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
    if (spec == specs.end()) {
      std::vector<std::string> names;
      for (const auto& s : specs) names.push_back(s.name);
      const std::string what =
          names.empty() ? fmt::format("unknown option '{}': strategy '{}' takes no options", name, config.kind)
                        : fmt::format("unknown option '{}' of strategy '{}'; its options are: {}", name, config.kind,
                                      join(names));
      strategy.file().fail(entry.key->source(), strategy.key_path(name), what);
    }
    const auto explain = [&](const std::string& problem) {
      strategy.fail(name, fmt::format("{} (option '{}' of strategy '{}': {})", problem, name, config.kind,
                                      spec->description));
    };
    const auto value = option_value(*entry.value);
    if (!value) explain(fmt::format("expected {}, got {}", to_string(spec->type), describe(*entry.value)));
    std::string problem;
    auto checked = check_option(*spec, *value, problem);
    if (!problem.empty()) {
      // check_option says what it expected; the user also needs to see what they wrote.
      if (problem.rfind("expected", 0) == 0) problem += fmt::format(", got {}", describe(*entry.value));
      explain(problem);
    }
    config.options.set(name, std::move(checked));
  }
  // Options that only make sense together (min_resource below max_resource, say) are
  // checked by the strategy itself: build it once, so those errors also name the file.
  try {
    (void)make_strategy(config, space, 0);
  } catch (const InputError& e) {
    if (const auto* option_error = dynamic_cast<const OptionError*>(&e))
      if (const auto option = option_in_table(*option_error, strategy)) strategy.fail(*option, e.what());
    if (strategy.find("kind")) strategy.fail("kind", e.what());
    strategy.fail_missing("kind", e.what());
  }
  return config;
}

}  // namespace h5tune::config
