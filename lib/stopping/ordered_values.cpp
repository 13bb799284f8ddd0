#include "stopping/ordered_values.hpp"

#include <limits>
#include <stdexcept>

#include "stopping/mix.hpp"

namespace h5tune::stopping {

void OrderedValues::pull(std::int32_t node) noexcept {
  Node& n = nodes_[node];
  n.size = 1 + size_of(n.left) + size_of(n.right);
}

std::int32_t OrderedValues::rotate_left(std::int32_t node) noexcept {
  const std::int32_t up = nodes_[node].right;
  nodes_[node].right = nodes_[up].left;
  nodes_[up].left = node;
  pull(node);
  pull(up);
  return up;
}

std::int32_t OrderedValues::rotate_right(std::int32_t node) noexcept {
  const std::int32_t up = nodes_[node].left;
  nodes_[node].left = nodes_[up].right;
  nodes_[up].right = node;
  pull(node);
  pull(up);
  return up;
}

// Recursion depth is the treap's depth, O(log n) expected (about 3 log2 n at worst in
// practice: ~40 for a million values).
std::int32_t OrderedValues::insert(std::int32_t root, std::int32_t node) noexcept {
  if (root < 0) return node;
  if (nodes_[node].value < nodes_[root].value) {
    const std::int32_t child = insert(nodes_[root].left, node);
    nodes_[root].left = child;
    pull(root);
    if (nodes_[child].priority > nodes_[root].priority) return rotate_right(root);
  } else {
    const std::int32_t child = insert(nodes_[root].right, node);
    nodes_[root].right = child;
    pull(root);
    if (nodes_[child].priority > nodes_[root].priority) return rotate_left(root);
  }
  return root;
}

void OrderedValues::insert(double value) {
  if (nodes_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw std::length_error("OrderedValues: too many values");
  const auto node = static_cast<std::int32_t>(nodes_.size());
  nodes_.push_back(Node{value, mix64(static_cast<std::uint64_t>(node))});
  root_ = insert(root_, node);
}

std::size_t OrderedValues::count_less(double value) const noexcept {
  std::size_t count = 0;
  for (std::int32_t node = root_; node >= 0;) {
    const Node& n = nodes_[node];
    if (n.value < value) {
      count += size_of(n.left) + 1;
      node = n.right;
    } else {
      node = n.left;
    }
  }
  return count;
}

double OrderedValues::nth(std::size_t k) const noexcept {
  std::int32_t node = root_;
  for (;;) {
    const Node& n = nodes_[node];
    const std::size_t left = size_of(n.left);
    if (k < left) {
      node = n.left;
    } else if (k == left) {
      return n.value;
    } else {
      k -= left + 1;
      node = n.right;
    }
  }
}

double OrderedValues::median() const noexcept {
  const std::size_t n = size();
  if (n % 2 == 1) return nth(n / 2);
  return 0.5 * (nth(n / 2 - 1) + nth(n / 2));
}

}  // namespace h5tune::stopping
