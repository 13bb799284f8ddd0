#include "h5tune/seed.hpp"

#include "core/splitmix.hpp"

namespace h5tune {
namespace {
constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;
}  // namespace

std::uint64_t derive_seed(std::uint64_t study_seed, SeedStream stream, std::uint64_t counter) noexcept {
  // Key the stream by mixing (seed, stream) once, then step a SplitMix counter: distinct
  // (seed, stream) pairs give unrelated keys, distinct counters distinct outputs.
  const std::uint64_t key =
      splitmix64_mix(study_seed ^ splitmix64_mix(static_cast<std::uint64_t>(stream) * golden_gamma));
  return splitmix64_mix(key + (counter + 1) * golden_gamma);
}

}  // namespace h5tune
