#include "core/share_sequence.hpp"

#include <cmath>

#include "h5tune/seed.hpp"

namespace h5tune {

ShareSequence::ShareSequence(std::vector<double> shares, std::uint64_t seed)
    : shares_(std::move(shares)), offset_(derive_seed(seed, SeedStream::stopping, 0)) {
  for (const double s : shares_) total_ += s;
}

std::size_t ShareSequence::bin_of(std::int64_t item) const noexcept {
  // The golden ratio's fractional part in 64-bit fixed point: the sum wraps exactly mod 1.
  constexpr std::uint64_t golden = 0x9e3779b97f4a7c15ULL;
  const std::uint64_t x = offset_ + static_cast<std::uint64_t>(item) * golden;
  double left = static_cast<double>(x >> 11) * 0x1.0p-53 * total_;
  for (std::size_t b = 0; b + 1 < shares_.size(); ++b) {
    left -= shares_[b];
    if (left < 0.0) return b;
  }
  return shares_.empty() ? 0 : shares_.size() - 1;
}

std::vector<double> hyperband_bracket_budgets(int brackets, double eta) {
  std::vector<double> budgets;
  for (int b = 0; b < brackets; ++b) {
    const int s = brackets - 1 - b;
    budgets.push_back(std::ceil(brackets * std::pow(eta, s) / (s + 1)));
  }
  return budgets;
}

int hyperband_bracket_count(std::int64_t min_resource, std::int64_t max_resource, std::int64_t eta) noexcept {
  int count = 1;
  for (std::int64_t step = min_resource; step <= max_resource / eta; step *= eta) ++count;
  return count;
}

}  // namespace h5tune
