#pragma once
// The message of the SpaceError a call throws, for tests of the space's checks.
#include <string>

#include "h5tune/error.hpp"

namespace h5tune::test {

/// What `f()` throws as SpaceError, or "(no SpaceError)" when it returns.
template <class F>
std::string space_error_of(F&& f) {
  try {
    f();
  } catch (const SpaceError& e) {
    return e.what();
  }
  return "(no SpaceError)";
}

}  // namespace h5tune::test
