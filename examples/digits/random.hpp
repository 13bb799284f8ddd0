#pragma once
// Random numbers with the same sequence on every platform: std::mt19937_64 is specified bit
// for bit, the std::*_distribution classes are not, so trials replay exactly anywhere.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace digits {

/// Uniform in [0, 1) from the top 53 bits of one draw.
inline double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/// Standard normal by Box-Muller (one of the pair; simplicity over speed).
inline double standard_normal(std::mt19937_64& rng) {
  const double u1 = 1.0 - uniform01(rng);  // in (0, 1]: log(u1) is finite
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// Fisher-Yates shuffle driven by uniform01.
template <typename T>
void shuffle(std::vector<T>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform01(rng) * static_cast<double>(i));
    std::swap(items[i - 1], items[j < i ? j : i - 1]);
  }
}

}  // namespace digits
