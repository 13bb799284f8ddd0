#include "analysis/regression_tree.hpp"

#include <algorithm>
#include <numeric>

namespace h5tune::analysis {

RegressionTree::RegressionTree(std::span<const double> x, std::size_t dims, std::span<const double> y,
                               std::vector<std::size_t> rows, std::size_t max_depth, std::size_t min_split)
    : x_(x), dims_(dims), y_(y), max_depth_(max_depth), min_split_(std::max<std::size_t>(min_split, 2)) {
  Leaf root;
  root.low.assign(dims, 0.0);
  root.high.assign(dims, 1.0);
  build(rows, 0, rows.size(), 0, std::move(root));
  x_ = {};  // the data belongs to the caller: keep no view of it
  y_ = {};
}

int RegressionTree::build(std::vector<std::size_t>& rows, std::size_t first, std::size_t last, std::size_t depth,
                          Leaf box) {
  const auto node_index = static_cast<int>(nodes_.size());
  nodes_.emplace_back();
  const std::size_t m = last - first;
  double sum = 0.0;
  for (std::size_t r = first; r < last; ++r) sum += y_[rows[r]];
  const double mean = m ? sum / static_cast<double>(m) : 0.0;
  bool constant = true;
  for (std::size_t r = first; r < last && constant; ++r) constant = y_[rows[r]] == y_[rows[first]];

  // Best split: maximize sum_L^2/n_L + sum_R^2/n_R (the same as minimizing the children's
  // squared error around their means).
  double best_score = sum * sum / static_cast<double>(std::max<std::size_t>(m, 1));
  bool found = false;
  std::size_t best_dim = 0;
  double best_threshold = 0.0;
  if (!constant && m >= min_split_ && depth < max_depth_) {
    std::vector<std::size_t> order(rows.begin() + static_cast<std::ptrdiff_t>(first),
                                   rows.begin() + static_cast<std::ptrdiff_t>(last));
    for (std::size_t d = 0; d < dims_; ++d) {
      const auto at = [&](std::size_t row) { return x_[row * dims_ + d]; };
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return at(a) < at(b) || (at(a) == at(b) && a < b); });
      double left = 0.0;
      for (std::size_t k = 0; k + 1 < m; ++k) {
        left += y_[order[k]];
        const double here = at(order[k]), next = at(order[k + 1]);
        if (here == next) continue;
        const auto nl = static_cast<double>(k + 1), nr = static_cast<double>(m - k - 1);
        const double right = sum - left;
        const double score = left * left / nl + right * right / nr;
        if (score > best_score * (1 + 1e-12) + 1e-300) {
          best_score = score;
          best_dim = d;
          best_threshold = 0.5 * (here + next);
          found = true;
        }
      }
    }
  }
  if (!found) {
    nodes_[static_cast<std::size_t>(node_index)].leaf = static_cast<int>(leaves_.size());
    box.value = mean;
    leaves_.push_back(std::move(box));
    return node_index;
  }
  const auto middle = std::stable_partition(rows.begin() + static_cast<std::ptrdiff_t>(first),
                                            rows.begin() + static_cast<std::ptrdiff_t>(last),
                                            [&](std::size_t row) { return x_[row * dims_ + best_dim] < best_threshold; });
  const auto split = static_cast<std::size_t>(middle - rows.begin());
  Leaf left_box = box, right_box = std::move(box);
  left_box.high[best_dim] = best_threshold;
  right_box.low[best_dim] = best_threshold;
  const int left = build(rows, first, split, depth + 1, std::move(left_box));
  const int right = build(rows, split, last, depth + 1, std::move(right_box));
  Node& node = nodes_[static_cast<std::size_t>(node_index)];
  node.dim = best_dim;
  node.threshold = best_threshold;
  node.left = left;
  node.right = right;
  return node_index;
}

double RegressionTree::predict(std::span<const double> point) const {
  std::size_t at = 0;
  while (nodes_[at].leaf < 0) {
    const Node& node = nodes_[at];
    at = static_cast<std::size_t>(point[node.dim] < node.threshold ? node.left : node.right);
  }
  return leaves_[static_cast<std::size_t>(nodes_[at].leaf)].value;
}

std::vector<double> RegressionTree::thresholds(std::size_t d) const {
  std::vector<double> out;
  for (const auto& node : nodes_)
    if (node.leaf < 0 && node.dim == d) out.push_back(node.threshold);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace h5tune::analysis
