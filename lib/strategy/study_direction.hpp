#pragma once
// The study's direction as every strategy receives it: the hidden option "direction",
// which the runtime sets from the study file ("minimize" when absent).
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/options.hpp"

namespace h5tune {

/// True when strategy `kind`'s study maximizes; throws OptionError for a direction other
/// than "minimize" or "maximize" (a strategy built by hand, not through the registry).
inline bool maximizes(const Options& options, std::string_view kind) {
  const std::string direction = options.get_text("direction", "minimize");
  if (direction != "minimize" && direction != "maximize")
    throw OptionError({"direction"}, fmt::format("strategy '{}': option 'direction' must be \"minimize\" or "
                                                 "\"maximize\", not \"{}\"", kind, direction));
  return direction == "maximize";
}

/// +1 to minimize, -1 to maximize: strategies that minimize internally multiply by it.
inline double direction_sign(const Options& options, std::string_view kind) {
  return maximizes(options, kind) ? -1.0 : 1.0;
}

}  // namespace h5tune
