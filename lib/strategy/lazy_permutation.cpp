#include "strategy/lazy_permutation.hpp"

#include "core/splitmix.hpp"
#include "h5tune/seed.hpp"

namespace h5tune {

LazyPermutation::LazyPermutation(std::uint64_t n, std::uint64_t seed) : n_(n) {
  while (half_bits_ < 31 && (std::uint64_t{1} << (2 * half_bits_)) < n) ++half_bits_;
  half_mask_ = (std::uint64_t{1} << half_bits_) - 1;
  Rng rng(seed);
  for (auto& k : keys_) k = rng();
}

std::uint64_t LazyPermutation::encrypt(std::uint64_t x) const noexcept {
  std::uint64_t left = x >> half_bits_;
  std::uint64_t right = x & half_mask_;
  for (const std::uint64_t key : keys_) {
    const std::uint64_t next_right = left ^ (splitmix64_mix(right ^ key) & half_mask_);
    left = right;
    right = next_right;
  }
  return (left << half_bits_) | right;
}

std::uint64_t LazyPermutation::operator()(std::uint64_t i) const noexcept {
  // i's cycle under encrypt() returns to i itself, so the walk always ends in [0, n).
  std::uint64_t y = encrypt(i);
  while (y >= n_) y = encrypt(y);
  return y;
}

}  // namespace h5tune
