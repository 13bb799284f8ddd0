#include "h5tune/seed.hpp"

namespace h5tune {
namespace {
// SplitMix64's output function: a bijective avalanche mix of 64 bits.
constexpr std::uint64_t mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;
}  // namespace

std::uint64_t derive_seed(std::uint64_t study_seed, SeedStream stream, std::uint64_t counter) noexcept {
  // Key the stream by mixing (seed, stream) once, then step a SplitMix counter: distinct
  // (seed, stream) pairs give unrelated keys, distinct counters distinct outputs.
  const std::uint64_t key = mix(study_seed ^ mix(static_cast<std::uint64_t>(stream) * golden_gamma));
  return mix(key + (counter + 1) * golden_gamma);
}

}  // namespace h5tune
