#pragma once
#include <cstddef>
#include <cstdint>
#include <random>

namespace h5tune {

/// Streams of randomness derived from one study seed; each consumer has its own so that
/// adding randomness in one place never shifts the numbers drawn in another.
enum class SeedStream : std::uint64_t {
  trial = 1,     ///< the seed handed to trial k's objective
  strategy = 2,  ///< the strategy's own generator
  analysis = 3,  ///< analysis of a log (the importance forest), never the run itself
  stopping = 4,  ///< the stopping rule's choices (Hyperband's bracket of each trial)
  enqueued = 5,  ///< the random values of parameters an enqueued point leaves out
};

/// Counter-based seed derivation: SplitMix64's finalizer applied to (seed, stream, counter).
/// The result depends only on its three arguments (no state), so trial k's seed is the
/// same however many trials ran before it, on any rank or machine.
/// Reference: Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014.
std::uint64_t derive_seed(std::uint64_t study_seed, SeedStream stream, std::uint64_t counter) noexcept;

/// The seed of trial `trial_id` in a study seeded with `study_seed`.
inline std::uint64_t trial_seed(std::uint64_t study_seed, std::int64_t trial_id) noexcept {
  return derive_seed(study_seed, SeedStream::trial, static_cast<std::uint64_t>(trial_id));
}

/// The generator every strategy draws from: std::mt19937_64, whose output sequence the C++
/// standard fixes, so runs are identical across compilers and standard libraries.
using Rng = std::mt19937_64;

/// A uniform double in [0, 1) from the top 53 bits of one draw. (std::uniform_real_distribution
/// is not specified bit for bit across standard libraries, so we do not use it.)
inline double uniform01(Rng& rng) noexcept {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/// A uniform index in [0, n) for n > 0, from one uniform01 draw; the clamp covers a draw so
/// close to 1 that the product rounds up to n.
inline std::size_t uniform_index(std::size_t n, Rng& rng) noexcept {
  const auto i = static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n));
  return i < n ? i : n - 1;
}

}  // namespace h5tune
