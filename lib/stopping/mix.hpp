#pragma once
#include <cstdint>

namespace h5tune::stopping {

/// SplitMix64's finalizer: a fixed bijection of 64-bit integers whose outputs look
/// independent. Stopping rules hash trial ids and node numbers with it, so their choices
/// depend on nothing but those numbers (Steele, Lea, Flood, OOPSLA 2014).
inline std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace h5tune::stopping
