#pragma once
#include <array>
#include <cstdint>

namespace h5tune {

/// A seeded pseudo-random permutation of [0, n) evaluated one index at a time in O(1)
/// memory, so a grid of 10^9 points can be visited in shuffled order without storing it.
///
/// Algorithm: a balanced Feistel network on the smallest even-bit domain [0, 4^h) that holds
/// n (a bijection for any round function), restricted to [0, n) by cycle walking: outputs
/// at or above n are encrypted again until they fall inside. The domain is less than 4n, so
/// the walk takes under four steps on average. References: Luby and Rackoff, SIAM J.
/// Comput. 17, 1988; Black and Rogaway, "Ciphers with arbitrary finite domains", CT-RSA 2002.
class LazyPermutation {
 public:
  static constexpr int rounds = 6;
  static constexpr std::uint64_t max_size = std::uint64_t{1} << 62;

  /// A permutation of [0, n), n <= max_size, with round keys drawn from std::mt19937_64(seed).
  LazyPermutation(std::uint64_t n, std::uint64_t seed);

  /// The image of i (i < size()).
  std::uint64_t operator()(std::uint64_t i) const noexcept;
  std::uint64_t size() const noexcept { return n_; }

 private:
  std::uint64_t encrypt(std::uint64_t x) const noexcept;

  std::uint64_t n_;
  unsigned half_bits_ = 1;
  std::uint64_t half_mask_ = 1;
  std::array<std::uint64_t, rounds> keys_{};
};

}  // namespace h5tune
