#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "h5tune/error.hpp"
#include "h5tune/strategy.hpp"
#include "strategy/grid_axes.hpp"
#include "strategy/grid_strategy.hpp"
#include "strategy/lazy_permutation.hpp"

namespace h5tune {
namespace {

Options grid_options(std::int64_t points_per_axis, bool shuffle) {
  Options o;
  o.set("points_per_axis", points_per_axis);
  o.set("shuffle", shuffle);
  return o;
}

Space small_space() {
  Space s;
  s.add_float("x", 0.0, 1.0).add_int("n", 0, 2).add_choice("act", {"relu", "tanh"});
  return s;
}

TEST(GridAxes, ValuesPerKind) {
  Space s;
  s.add_float("x", -1.0, 1.0)
      .add_float("lr", 1e-4, 1.0, true)
      .add_int("few", 1, 3)
      .add_int("many", 1, 100)
      .add_int("log_many", 1, 7, true)
      .add_choice("act", {"a", "b", "c"});
  const auto axes = grid_axes(s, 5);
  EXPECT_EQ(axes[0], (std::vector<double>{-1.0, -0.5, 0.0, 0.5, 1.0}));
  ASSERT_EQ(axes[1].size(), 5u);
  for (std::size_t k = 0; k < 5; ++k) EXPECT_NEAR(std::log10(axes[1][k]), -4.0 + static_cast<double>(k), 1e-12);
  EXPECT_EQ(axes[1].front(), 1e-4);
  EXPECT_EQ(axes[1].back(), 1.0);
  EXPECT_EQ(axes[2], (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(axes[3], (std::vector<double>{1, 26, 51, 75, 100}));
  EXPECT_EQ(axes[5], (std::vector<double>{0, 1, 2}));
  // Log spacing of 1..7 in 5 points rounds to 1, 2, 3, 4, 7: distinct, both ends.
  EXPECT_EQ(axes[4], (std::vector<double>{1, 2, 3, 4, 7}));
}

TEST(GridAxes, LogIntegersStayDistinctWhenRoundingMergesThem) {
  Space s;
  s.add_int("n", 1, 7, true);
  // exp of 6 log-spaced points rounds to 1, 1, 2, 3, 5, 7: the duplicate is pushed up.
  EXPECT_EQ(grid_axes(s, 6)[0], (std::vector<double>{1, 2, 3, 4, 5, 7}));
  Space t;
  t.add_int("m", 1, 1000000, true);
  const auto axis = grid_axes(t, 50)[0];
  ASSERT_EQ(axis.size(), 50u);
  EXPECT_EQ(axis.front(), 1.0);
  EXPECT_EQ(axis.back(), 1e6);
  for (std::size_t k = 1; k < axis.size(); ++k) EXPECT_GT(axis[k], axis[k - 1]);
}

TEST(GridStrategy, VisitsEveryPointOnceThenIsExhausted) {
  for (const bool shuffle : {true, false}) {
    GridStrategy grid(grid_options(5, shuffle), small_space(), 3);
    ASSERT_EQ(grid.size(), 5u * 3u * 2u);
    std::set<std::vector<double>> seen;
    while (!grid.exhausted()) {
      const auto batch = grid.ask(7, {});
      ASSERT_FALSE(batch.empty());
      for (const auto& s : batch) EXPECT_TRUE(seen.insert(s.values).second) << "duplicate";
    }
    EXPECT_EQ(seen.size(), 30u);
    for (double x : {0.0, 0.25, 0.5, 0.75, 1.0})
      for (double n : {0.0, 1.0, 2.0})
        for (double c : {0.0, 1.0}) EXPECT_TRUE(seen.count({x, n, c})) << x << " " << n << " " << c;
    EXPECT_TRUE(grid.ask(5, {}).empty());
  }
}

TEST(GridStrategy, LastBatchIsCutShort) {
  GridStrategy grid(grid_options(5, true), small_space(), 3);
  EXPECT_EQ(grid.ask(25, {}).size(), 25u);
  EXPECT_FALSE(grid.exhausted());
  EXPECT_EQ(grid.ask(25, {}).size(), 5u);
  EXPECT_TRUE(grid.exhausted());
}

TEST(GridStrategy, UnshuffledOrderIsLexicographicLastParameterFastest) {
  GridStrategy grid(grid_options(5, false), small_space(), 3);
  const auto batch = grid.ask(7, {});
  const std::vector<std::vector<double>> expected{{0, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 1},
                                                  {0, 2, 0}, {0, 2, 1}, {0.25, 0, 0}};
  for (std::size_t k = 0; k < expected.size(); ++k) EXPECT_EQ(batch[k].values, expected[k]);
}

TEST(GridStrategy, ShuffledOrderDependsOnTheSeed) {
  GridStrategy a(grid_options(5, true), small_space(), 1), b(grid_options(5, true), small_space(), 2);
  std::vector<std::vector<double>> va, vb;
  for (const auto& s : a.ask(30, {})) va.push_back(s.values);
  for (const auto& s : b.ask(30, {})) vb.push_back(s.values);
  EXPECT_NE(va, vb);
  GridStrategy lexicographic(grid_options(5, false), small_space(), 1);
  std::vector<std::vector<double>> vl;
  for (const auto& s : lexicographic.ask(30, {})) vl.push_back(s.values);
  EXPECT_NE(va, vl);
}

TEST(GridStrategy, BillionPointGridCostsNoMemory) {
  Space s;
  for (int j = 0; j < 9; ++j) s.add_float("x" + std::to_string(j), 0.0, 1.0);
  GridStrategy grid(grid_options(10, true), s, 5);
  EXPECT_EQ(grid.size(), 1000000000u);
  std::set<std::vector<double>> seen;
  for (const auto& p : grid.ask(1000, {})) {
    EXPECT_TRUE(s.contains(p.values));
    seen.insert(p.values);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_FALSE(grid.exhausted());
}

TEST(GridStrategy, TooLargeGridIsAnInputError) {
  Space s;
  for (int j = 0; j < 20; ++j) s.add_float("x" + std::to_string(j), 0.0, 1.0);
  EXPECT_THROW(GridStrategy(grid_options(10, true), s, 1), InputError);
}

TEST(LazyPermutation, IsAPermutationForManySizes) {
  for (const std::uint64_t n : {1u, 2u, 3u, 4u, 5u, 16u, 17u, 1000u, 4097u, 65536u}) {
    const LazyPermutation perm(n, 77);
    std::vector<bool> hit(n, false);
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t y = perm(i);
      ASSERT_LT(y, n);
      ASSERT_FALSE(hit[y]) << "n = " << n << ": " << y << " hit twice";
      hit[y] = true;
    }
  }
}

TEST(LazyPermutation, ShufflesAndDependsOnTheSeed) {
  const std::uint64_t n = 1000;
  const LazyPermutation a(n, 1), b(n, 2);
  int fixed_points = 0, same = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    fixed_points += a(i) == i;
    same += a(i) == b(i);
  }
  // A random permutation has about one fixed point; identity or copies would give 1000.
  EXPECT_LT(fixed_points, 10);
  EXPECT_LT(same, 10);
  // The first tenth of the order spreads over the whole range.
  std::uint64_t low_half = 0;
  for (std::uint64_t i = 0; i < 100; ++i) low_half += a(i) < n / 2;
  EXPECT_GT(low_half, 30u);
  EXPECT_LT(low_half, 70u);
}

TEST(LazyPermutation, LargeDomainsHaveNoEarlyCollisions) {
  const std::uint64_t n = 3'000'000'017ULL;
  const LazyPermutation perm(n, 9);
  std::set<std::uint64_t> seen;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    const auto y = perm(i);
    ASSERT_LT(y, n);
    seen.insert(y);
  }
  EXPECT_EQ(seen.size(), 20000u);
}

}  // namespace
}  // namespace h5tune
