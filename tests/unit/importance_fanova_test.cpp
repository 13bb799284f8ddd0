// Functional ANOVA on a random forest (h5tune/importance.hpp) against functions whose
// importances are known in closed form.
#include <cmath>

#include <gtest/gtest.h>

#include "h5tune/error.hpp"
#include "h5tune/importance.hpp"
#include "h5tune/seed.hpp"

namespace h5tune {
namespace {

/// `n` uniform points of the unit cube of `space`, and f of their decoded values.
template <class F>
std::pair<std::vector<std::vector<double>>, std::vector<double>> sample(const Space& space, std::size_t n, F f,
                                                                         std::uint64_t seed = 5) {
  Rng rng(seed);
  std::vector<std::vector<double>> units;
  std::vector<double> values;
  for (std::size_t k = 0; k < n; ++k) {
    std::vector<double> u(space.size());
    for (auto& c : u) c = uniform01(rng);
    const auto x = space.from_unit(u);
    units.push_back(space.to_unit(x));  // discrete kinds snap to their slice centre
    values.push_back(f(x));
  }
  return {units, values};
}

TEST(FanovaImportance, MatchesTheClosedFormOnAnAdditiveFunction) {
  // f = 10 x0 + x1^2 + 0 x2 with x0 ~ U(0,1), x1 ~ U(-4,4): Var(10 x0) = 100/12,
  // Var(x1^2) = 256/5 - (16/3)^2; x2 does nothing.
  Space space;
  space.add_float("x0", 0, 1).add_float("x1", -4, 4).add_float("x2", 0, 1);
  const auto [units, values] = sample(space, 1500, [](const std::vector<double>& x) { return 10 * x[0] + x[1] * x[1]; });
  const FanovaForest forest(space, units, values, {.seed = 1});
  const auto imp = forest.importances();
  const double v0 = 100.0 / 12, v1 = 256.0 / 5 - 256.0 / 9;
  EXPECT_NEAR(imp[0], v0 / (v0 + v1), 0.05);
  EXPECT_NEAR(imp[1], v1 / (v0 + v1), 0.05);
  EXPECT_LT(imp[2], 0.01) << "a parameter that does nothing";
  EXPECT_NEAR(imp[0] + imp[1] + imp[2], 1.0, 0.05) << "an additive function has no interactions";
  EXPECT_EQ(forest.samples(), 1500u);
}

TEST(FanovaImportance, HandlesLogIntegerAndCategoricalParameters) {
  // f = log10(lr) + 2 [act == tanh] + 0 * layers: Var(log10 lr) = 16/12 for lr log-uniform
  // in [1e-4, 1]; the choice adds Var = 1 (two equally likely choices 0 or 2).
  Space space;
  space.add_float("lr", 1e-4, 1, true).add_choice("act", {"relu", "tanh"}).add_int("layers", 1, 8);
  const auto [units, values] = sample(space, 1500, [](const std::vector<double>& x) {
    return std::log10(x[0]) + (x[1] == 1 ? 2.0 : 0.0);
  });
  const FanovaForest forest(space, units, values, {.seed = 2});
  const auto imp = forest.importances();
  const double v_lr = 16.0 / 12, v_act = 1.0;
  EXPECT_NEAR(imp[0], v_lr / (v_lr + v_act), 0.05);
  EXPECT_NEAR(imp[1], v_act / (v_lr + v_act), 0.05);
  EXPECT_LT(imp[2], 0.01);
}

TEST(FanovaImportance, InteractionLeavesMainEffectsSmall) {
  // f = (x0 - 0.5)(x1 - 0.5): both main effects are zero, all variance is interaction.
  Space space;
  space.add_float("x0", 0, 1).add_float("x1", 0, 1);
  const auto [units, values] = sample(space, 1500, [](const std::vector<double>& x) { return (x[0] - 0.5) * (x[1] - 0.5); });
  const auto imp = FanovaForest(space, units, values, {.seed = 3}).importances();
  EXPECT_LT(imp[0] + imp[1], 0.2);
}

TEST(FanovaImportance, IsDeterministicForASeed) {
  Space space;
  space.add_float("a", 0, 1).add_float("b", 0, 1);
  const auto [units, values] = sample(space, 300, [](const std::vector<double>& x) { return std::sin(6 * x[0]) + x[1]; });
  const auto a = FanovaForest(space, units, values, {.seed = 9}).importances();
  const auto b = FanovaForest(space, units, values, {.seed = 9}).importances();
  const auto c = FanovaForest(space, units, values, {.seed = 10}).importances();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c) << "another bootstrap";
}

TEST(FanovaImportance, MarginalGridFollowsTheFunction) {
  Space space;
  space.add_float("x0", 0, 1).add_float("x1", 0, 1).add_float("x2", 0, 1);
  const auto [units, values] = sample(space, 2000, [](const std::vector<double>& x) { return 4 * x[0] + 2 * x[2]; });
  const FanovaForest forest(space, units, values, {.seed = 4});
  const auto grid = forest.marginal_grid(0, 1, 8, 4);  // x2 averaged out: about 4 x0 + 1
  ASSERT_EQ(grid.size(), 32u);
  for (std::size_t a = 0; a < 8; ++a)
    for (std::size_t b = 0; b < 4; ++b) EXPECT_NEAR(grid[a * 4 + b], 4 * (a + 0.5) / 8 + 1, 0.2) << a << "," << b;
  EXPECT_NEAR(forest.predict(std::vector<double>{0.5, 0.5, 0.5}), 3.0, 0.2);
  EXPECT_THROW((void)forest.marginal_grid(0, 0, 4, 4), Error);
}

TEST(FanovaImportance, ConstantOrEmptyDataGivesZeros) {
  Space space;
  space.add_float("a", 0, 1).add_float("b", 0, 1);
  const std::vector<std::vector<double>> units{{0.1, 0.2}, {0.7, 0.9}, {0.4, 0.4}};
  const std::vector<double> same{1.0, 1.0, 1.0};
  EXPECT_EQ(FanovaForest(space, units, same).importances(), (std::vector<double>{0, 0}));
  const FanovaForest none(space, {}, std::vector<double>{});
  EXPECT_EQ(none.samples(), 0u);
  EXPECT_EQ(none.importances(), (std::vector<double>{0, 0}));
  const std::vector<double> nan{NAN, NAN, 2.0};
  EXPECT_EQ(FanovaForest(space, units, nan).samples(), 1u);
}

}  // namespace
}  // namespace h5tune
