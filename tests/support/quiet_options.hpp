#pragma once
// Run options for tests: no progress lines on the console.
#include "h5tune/runtime.hpp"

namespace h5tune::test {

/// RunOptions with verbosity 0; `resume` continues the study in an existing log.
inline RunOptions quiet_options(bool resume = false) {
  RunOptions options;
  options.verbosity = 0;
  options.resume = resume;
  return options;
}

}  // namespace h5tune::test
