#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include "h5tune/seed.hpp"

namespace h5tune::analysis {

/// One leaf of a fitted tree: a box of the unit cube and the tree's constant prediction on it.
struct Leaf {
  std::vector<double> low, high;  ///< the box [low, high) per dimension
  double value = 0.0;
};

/// A CART regression tree (Breiman et al. 1984) over points of the unit cube: each node
/// splits at the midpoint between two neighbouring distinct values of the dimension and
/// threshold that most reduce the squared error (the first such split on ties, so fitting
/// is deterministic); a node becomes a leaf when it holds fewer than `min_split` samples,
/// its targets are all equal, no dimension separates its points, or it sits at `max_depth`.
/// Its leaves partition the unit cube, which functional ANOVA needs.
class RegressionTree {
 public:
  /// Fits the samples `rows` (indices into `x` and `y`, repeats allowed: a bootstrap).
  /// `x` is row-major with `dims` columns.
  RegressionTree(std::span<const double> x, std::size_t dims, std::span<const double> y, std::vector<std::size_t> rows,
                 std::size_t max_depth, std::size_t min_split);
  double predict(std::span<const double> point) const;
  const std::vector<Leaf>& leaves() const noexcept { return leaves_; }
  /// The thresholds the tree splits dimension d at, sorted, without repeats.
  std::vector<double> thresholds(std::size_t d) const;

 private:
  struct Node {
    std::size_t dim = 0;
    double threshold = 0.0;
    int left = -1, right = -1;  ///< children; -1 for a leaf
    int leaf = -1;              ///< index into leaves_ for a leaf
  };
  int build(std::vector<std::size_t>& rows, std::size_t first, std::size_t last, std::size_t depth, Leaf box);

  std::span<const double> x_;
  std::size_t dims_;
  std::span<const double> y_;
  std::size_t max_depth_, min_split_;
  std::vector<Node> nodes_;
  std::vector<Leaf> leaves_;
};

}  // namespace h5tune::analysis
