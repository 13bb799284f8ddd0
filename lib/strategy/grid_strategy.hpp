#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "h5tune/strategy.hpp"
#include "strategy/lazy_permutation.hpp"

namespace h5tune {

/// Grid search: the Cartesian product of per-parameter value lists (see grid_axes()),
/// each point suggested once; exhausted() turns true after the last one.
///
/// Points are numbered in mixed radix, last parameter fastest; nothing but the axes is
/// stored, so a 10^9-point grid costs O(d) memory. With `shuffle` (default true, as
/// Optuna's GridSampler) the grid is visited in the order of a LazyPermutation seeded with
/// the strategy seed, so an interrupted grid still covers the space evenly; with shuffle
/// off it is visited in lexicographic order and the seed is unused.
/// Options: `points_per_axis` (default 5, at least 2) values per float axis and at most
/// that many per int axis; `shuffle` (default true).
class GridStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "grid";
  static std::vector<OptionSpec> option_specs();

  GridStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  bool exhausted() const noexcept override { return next_ >= size_; }
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  /// Number of grid points.
  std::uint64_t size() const noexcept { return size_; }
  /// The values of grid point `index` (mixed radix, last parameter fastest).
  std::vector<double> point(std::uint64_t index) const;

 private:
  std::vector<std::vector<double>> axes_;
  std::uint64_t size_ = 1;
  std::uint64_t seed_ = 0;                ///< seeds the visiting order
  std::optional<LazyPermutation> order_;  ///< visiting order; none: lexicographic
  std::uint64_t next_ = 0;                ///< grid points suggested so far
};

}  // namespace h5tune
