#pragma once
#include <string_view>

namespace h5tune {
/// The library's semantic version, e.g. "0.1.0".
std::string_view version() noexcept;
/// The git commit the library was configured from ("unknown" outside a git checkout).
std::string_view git_sha() noexcept;
}  // namespace h5tune
