#include "h5tune/importance.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "analysis/regression_tree.hpp"
#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"

namespace h5tune {
namespace {

using analysis::Leaf;
using analysis::RegressionTree;

/// Where x falls among the sorted interval edges (edges[0] = 0, edges.back() = 1).
std::size_t edge_index(const std::vector<double>& edges, double x) {
  return static_cast<std::size_t>(std::lower_bound(edges.begin(), edges.end(), x) - edges.begin());
}

double width_product_except(const Leaf& leaf, std::size_t skip_a, std::size_t skip_b) {
  double w = 1.0;
  for (std::size_t k = 0; k < leaf.low.size(); ++k)
    if (k != skip_a && k != skip_b) w *= leaf.high[k] - leaf.low[k];
  return w;
}

/// Per tree: the fraction of its variance that each dimension's main effect explains
/// (Hutter et al. 2014, eq. 4 for single parameters); empty for a constant tree.
std::vector<double> tree_fractions(const RegressionTree& tree, std::size_t dims) {
  const auto& leaves = tree.leaves();
  double mean = 0.0;
  for (const auto& leaf : leaves) mean += leaf.value * width_product_except(leaf, dims, dims);
  double total = 0.0;
  for (const auto& leaf : leaves) total += width_product_except(leaf, dims, dims) * (leaf.value - mean) * (leaf.value - mean);
  if (!(total > 0.0)) return {};
  std::vector<double> out(dims, 0.0);
  for (std::size_t d = 0; d < dims; ++d) {
    // The main effect of d is constant between the tree's splits on d: add each leaf's
    // share (value x volume of its box in the other dimensions) to the intervals its box
    // covers, with a difference array.
    std::vector<double> edges = tree.thresholds(d);
    edges.insert(edges.begin(), 0.0);
    edges.push_back(1.0);
    std::vector<double> diff(edges.size(), 0.0);
    for (const auto& leaf : leaves) {
      const double share = leaf.value * width_product_except(leaf, d, dims);
      diff[edge_index(edges, leaf.low[d])] += share;
      diff[edge_index(edges, leaf.high[d])] -= share;
    }
    double effect = 0.0, variance = 0.0;
    for (std::size_t k = 0; k + 1 < edges.size(); ++k) {
      effect += diff[k];
      variance += (edges[k + 1] - edges[k]) * (effect - mean) * (effect - mean);
    }
    out[d] = variance / total;
  }
  return out;
}

}  // namespace

struct FanovaForest::Impl {
  std::size_t dims = 0;
  std::size_t samples = 0;
  double offset = 0.0;  ///< targets are fitted centred: less cancellation in sums of squares
  std::vector<RegressionTree> trees;
  std::vector<std::vector<double>> fractions;  ///< per non-constant tree
};

FanovaForest::FanovaForest(const Space& space, const std::vector<std::vector<double>>& unit_points,
                           std::span<const double> values, const ForestOptions& options)
    : impl_(std::make_unique<Impl>()) {
  const std::size_t dims = space.size();
  if (unit_points.size() != values.size())
    throw Error(fmt::format("importance: {} points but {} values", unit_points.size(), values.size()));
  impl_->dims = dims;
  std::vector<std::size_t> usable;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (unit_points[i].size() != dims)
      throw Error(fmt::format("importance: point {} has {} coordinates, the space {}", i, unit_points[i].size(), dims));
    if (std::isfinite(values[i])) usable.push_back(i);
  }
  // An even stride through the observations bounds the cost of very large studies.
  if (options.max_samples > 0 && usable.size() > options.max_samples) {
    std::vector<std::size_t> thinned;
    for (std::size_t k = 0; k < options.max_samples; ++k) thinned.push_back(usable[k * usable.size() / options.max_samples]);
    usable = std::move(thinned);
  }
  const std::size_t n = usable.size();
  impl_->samples = n;
  if (n == 0 || dims == 0) return;
  std::vector<double> x(n * dims), y(n);
  for (std::size_t r = 0; r < n; ++r) {
    std::copy(unit_points[usable[r]].begin(), unit_points[usable[r]].end(), x.begin() + static_cast<std::ptrdiff_t>(r * dims));
    y[r] = values[usable[r]];
  }
  double mean = 0.0;
  for (double v : y) mean += v / static_cast<double>(n);
  impl_->offset = mean;
  for (double& v : y) v -= mean;

  Rng rng(options.seed);
  for (std::size_t t = 0; t < std::max<std::size_t>(options.trees, 1); ++t) {
    std::vector<std::size_t> rows(n);
    for (auto& row : rows) row = uniform_index(n, rng);
    impl_->trees.emplace_back(x, dims, y, std::move(rows), options.max_depth, options.min_samples_split);
    if (auto f = tree_fractions(impl_->trees.back(), dims); !f.empty()) impl_->fractions.push_back(std::move(f));
  }
}

FanovaForest::~FanovaForest() = default;
FanovaForest::FanovaForest(FanovaForest&&) noexcept = default;
FanovaForest& FanovaForest::operator=(FanovaForest&&) noexcept = default;

std::size_t FanovaForest::samples() const noexcept { return impl_->samples; }

std::vector<double> FanovaForest::importances() const {
  std::vector<double> out(impl_->dims, 0.0);
  for (const auto& f : impl_->fractions)
    for (std::size_t d = 0; d < out.size(); ++d) out[d] += f[d] / static_cast<double>(impl_->fractions.size());
  return out;
}

std::vector<double> FanovaForest::importance_spread() const {
  const auto mean = importances();
  std::vector<double> out(impl_->dims, 0.0);
  if (impl_->fractions.size() < 2) return out;
  for (const auto& f : impl_->fractions)
    for (std::size_t d = 0; d < out.size(); ++d) out[d] += (f[d] - mean[d]) * (f[d] - mean[d]);
  for (double& v : out) v = std::sqrt(v / static_cast<double>(impl_->fractions.size() - 1));
  return out;
}

double FanovaForest::predict(std::span<const double> unit_point) const {
  if (impl_->trees.empty()) return NAN;
  double sum = 0.0;
  for (const auto& tree : impl_->trees) sum += tree.predict(unit_point);
  return impl_->offset + sum / static_cast<double>(impl_->trees.size());
}

std::vector<double> FanovaForest::marginal_grid(std::size_t i, std::size_t j, std::size_t ni, std::size_t nj) const {
  if (i >= impl_->dims || j >= impl_->dims || i == j || ni == 0 || nj == 0)
    throw Error(fmt::format("importance: no marginal of parameters {} and {} on a {}x{} grid", i, j, ni, nj));
  std::vector<double> out(ni * nj, impl_->trees.empty() ? NAN : impl_->offset);
  if (impl_->trees.empty()) return out;
  // Cell centres a leaf's box covers form a rectangle of the grid: add the leaf's share to
  // it with a 2-D difference array, O(leaves + cells) per tree.
  const auto first_centre = [](double edge, std::size_t n) {
    // smallest a with (a + 0.5) / n >= edge
    const double a = std::ceil(edge * static_cast<double>(n) - 0.5);
    return static_cast<std::size_t>(std::clamp(a, 0.0, static_cast<double>(n)));
  };
  const double per_tree = 1.0 / static_cast<double>(impl_->trees.size());
  std::vector<double> diff((ni + 1) * (nj + 1));
  for (const auto& tree : impl_->trees) {
    std::fill(diff.begin(), diff.end(), 0.0);
    for (const auto& leaf : tree.leaves()) {
      const double share = leaf.value * width_product_except(leaf, i, j) * per_tree;
      const std::size_t a0 = first_centre(leaf.low[i], ni), a1 = first_centre(leaf.high[i], ni);
      const std::size_t b0 = first_centre(leaf.low[j], nj), b1 = first_centre(leaf.high[j], nj);
      if (a0 >= a1 || b0 >= b1) continue;
      diff[a0 * (nj + 1) + b0] += share;
      diff[a0 * (nj + 1) + b1] -= share;
      diff[a1 * (nj + 1) + b0] -= share;
      diff[a1 * (nj + 1) + b1] += share;
    }
    for (std::size_t a = 0; a <= ni; ++a)
      for (std::size_t b = 0; b <= nj; ++b) {
        double& v = diff[a * (nj + 1) + b];
        if (a) v += diff[(a - 1) * (nj + 1) + b];
        if (b) v += diff[a * (nj + 1) + b - 1];
        if (a && b) v -= diff[(a - 1) * (nj + 1) + b - 1];
        if (a < ni && b < nj) out[a * nj + b] += v;
      }
  }
  return out;
}

}  // namespace h5tune
