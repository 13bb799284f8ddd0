// The strategy kinds by name: adding a kind is one include and one entry in registry().
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "h5tune/error.hpp"
#include "h5tune/strategy.hpp"
#include "strategy/grid_strategy.hpp"
#include "strategy/random_strategy.hpp"
#include "strategy/sobol_strategy.hpp"
#include "strategy/gp/gp_strategy.hpp"
#include "strategy/evolution/evolution_strategy.hpp"
#include "strategy/cmaes/cmaes_strategy.hpp"
#include "strategy/tpe/tpe_strategy.hpp"
#include "strategy/pbt/pbt_strategy.hpp"
#include "strategy/halving/halving_strategy.hpp"
#include "strategy/study_direction.hpp"

namespace h5tune {
namespace {

struct Entry {
  std::string kind;
  std::vector<OptionSpec> options;
  std::function<std::unique_ptr<Strategy>(const Options&, const Space&, std::uint64_t)> make;
  bool resumes_checkpoints = false;
};

template <class S>
Entry entry() {
  return {std::string(S::kind_name), S::option_specs(),
          [](const Options& options, const Space& space, std::uint64_t seed) {
            return std::unique_ptr<Strategy>(std::make_unique<S>(options, space, seed));
          },
          requires { S::resumes_checkpoints; }};
}

// In the order the docs list them.
const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries{
      entry<RandomStrategy>(),
      entry<GridStrategy>(),
      entry<SobolStrategy>(),
      entry<GpStrategy>(),
      entry<TpeStrategy>(),
      entry<EvolutionStrategy>(),
      entry<CmaesStrategy>(),
      entry<PbtStrategy>(),
      entry<HalvingStrategy>(),
  };
  return entries;
}

const Entry& find_entry(std::string_view kind) {
  const auto& entries = registry();
  const auto it = std::find_if(entries.begin(), entries.end(),
                               [&](const Entry& e) { return e.kind == kind; });
  if (it == entries.end())
    throw InputError(fmt::format("unknown strategy kind '{}' (known: {})", kind,
                                 fmt::join(strategy_kinds(), ", ")));
  return *it;
}

// Options normally arrive checked by the config module; a program that builds a
// StrategyConfig by hand gets the same checks here.
Options checked_options(const Entry& e, const Options& given) {
  Options checked;
  for (const auto& [name, value] : given.values()) {
    if (name == direction_option) {  // injected by the runtime for every kind
      check_direction(std::get_if<std::string>(&value), e.kind);
      checked.set(name, value);
      continue;
    }
    const auto& wanted = name;  // clang 14 cannot capture a structured binding
    const auto spec = std::find_if(e.options.begin(), e.options.end(),
                                   [&](const OptionSpec& s) { return s.name == wanted; });
    if (spec == e.options.end()) {
      std::vector<std::string_view> known;
      for (const auto& s : e.options) known.push_back(s.name);
      throw OptionError({name}, fmt::format("strategy '{}' has no option '{}' (options: {})", e.kind, name,
                                   known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
    }
    std::string error;
    OptionValue converted = check_option(*spec, value, error);
    if (!error.empty())
      throw OptionError({name}, fmt::format("strategy '{}', option '{}': {}", e.kind, name, error));
    checked.set(name, std::move(converted));
  }
  return checked;
}

}  // namespace

std::vector<std::string> strategy_kinds() {
  std::vector<std::string> kinds;
  for (const auto& e : registry()) kinds.push_back(e.kind);
  return kinds;
}

bool strategy_resumes_checkpoints(std::string_view kind) {
  const auto& entries = registry();
  const auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.kind == kind; });
  return it != entries.end() && it->resumes_checkpoints;
}

const std::vector<OptionSpec>& strategy_options(std::string_view kind) {
  return find_entry(kind).options;
}

std::unique_ptr<Strategy> make_strategy(const StrategyConfig& config, const Space& space,
                                        std::uint64_t seed) {
  const Entry& e = find_entry(config.kind);
  return e.make(checked_options(e, config.options), space, seed);
}

}  // namespace h5tune
