#pragma once
// The study's direction as every strategy receives it: the hidden option "direction",
// which the runtime sets from the study file ("minimize" when absent).
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/options.hpp"

namespace h5tune {

/// The option through which the runtime passes the study's direction to every strategy.
inline constexpr std::string_view direction_option = "direction";

/// Throws OptionError naming strategy `kind` unless `direction` is "minimize" or "maximize"
/// (null: the option's value is not text).
inline void check_direction(const std::string* direction, std::string_view kind) {
  if (!direction || (*direction != "minimize" && *direction != "maximize"))
    throw OptionError({std::string(direction_option)},
                      fmt::format("strategy '{}': option 'direction' must be \"minimize\" or \"maximize\"", kind));
}

/// True when strategy `kind`'s study maximizes; a strategy built by hand, not through the
/// registry, gets the registry's check here.
inline bool maximizes(const Options& options, std::string_view kind) {
  const std::string direction = options.get_text(direction_option, "minimize");
  check_direction(&direction, kind);
  return direction == "maximize";
}

/// +1 to minimize, -1 to maximize: strategies that minimize internally multiply by it.
inline double direction_sign(const Options& options, std::string_view kind) {
  return maximizes(options, kind) ? -1.0 : 1.0;
}

}  // namespace h5tune
