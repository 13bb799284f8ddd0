#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace h5tune {

/// Deals items 0, 1, 2, ... out to bins in proportion to `shares`, so that every run of
/// consecutive items splits among the bins in those proportions to within a few items.
/// Item k goes to the bin its point u_k = frac(u_0 + k · (√5 − 1)/2) falls in when [0, 1)
/// is cut at the shares' cumulative fractions (a Weyl sequence, whose discrepancy grows
/// only like log k; H. Weyl, 1916). u_0 comes from `seed`, so two seeds deal differently,
/// and an item's bin depends on nothing but k and the seed. Used for Hyperband's brackets.
class ShareSequence {
 public:
  ShareSequence(std::vector<double> shares, std::uint64_t seed);
  std::size_t bin_of(std::int64_t item) const noexcept;
  double share(std::size_t bin) const { return shares_.at(bin); }
  std::size_t size() const noexcept { return shares_.size(); }

 private:
  std::vector<double> shares_;
  double total_ = 0.0;
  std::uint64_t offset_;  ///< u_0 in 64-bit fixed point
};

/// Hyperband's bracket budgets: for B brackets, bracket b gets ceil(B · eta^s / (s + 1)),
/// s = B − 1 − b (Li et al., Hyperband's n_i; Optuna's HyperbandPruner budgets).
std::vector<double> hyperband_bracket_budgets(int brackets, double eta);

/// Hyperband's number of brackets B = floor(log_eta(max / min)) + 1, counted in integers.
int hyperband_bracket_count(std::int64_t min_resource, std::int64_t max_resource, std::int64_t eta) noexcept;

}  // namespace h5tune
