#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace h5tune::stopping {

/// A growing multiset of doubles that answers rank questions in O(log n): how many values
/// are smaller than x, and which value is the k-th smallest. Stopping rules keep one per
/// rung (ASHA) or per step (median) and ask it on every report, so a sorted vector (O(n)
/// inserts) or std::multiset (O(n) ranks) would make a decision cost grow with the study.
///
/// A treap (Seidel & Aragon 1996) whose nodes count their subtree; node priorities are a
/// hash of the node's number, so the shape, like everything else here, is deterministic.
/// Values are never removed. NaN must not be inserted.
class OrderedValues {
 public:
  void insert(double value);
  std::size_t size() const noexcept { return nodes_.size(); }
  bool empty() const noexcept { return nodes_.empty(); }
  /// How many values are strictly smaller than `value`.
  std::size_t count_less(double value) const noexcept;
  /// The k-th smallest value, from 0; requires k < size().
  double nth(std::size_t k) const noexcept;
  /// The median: the middle value, or the mean of the two middle values of an even count
  /// (numpy's percentile(50)); requires !empty().
  double median() const noexcept;

 private:
  struct Node {
    double value;
    std::uint64_t priority;
    std::int32_t left = -1;
    std::int32_t right = -1;
    std::uint32_t size = 1;
  };
  std::uint32_t size_of(std::int32_t node) const noexcept { return node < 0 ? 0 : nodes_[node].size; }
  void pull(std::int32_t node) noexcept;
  std::int32_t rotate_left(std::int32_t node) noexcept;
  std::int32_t rotate_right(std::int32_t node) noexcept;
  std::int32_t insert(std::int32_t root, std::int32_t node) noexcept;

  std::vector<Node> nodes_;
  std::int32_t root_ = -1;
};

}  // namespace h5tune::stopping
