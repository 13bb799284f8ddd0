#pragma once
// A float as messages show it: fmt's shortest text that reads back the same, with a
// decimal point kept, so that a float 1.0 is not shown as the integer 1 ("got 1.0").
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace h5tune {

inline std::string float_text(double value) {
  std::string text = fmt::format("{}", value);
  if (std::isfinite(value) && text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

}  // namespace h5tune
