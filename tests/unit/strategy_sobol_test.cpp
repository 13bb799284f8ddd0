#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "h5tune/error.hpp"
#include "h5tune/strategy.hpp"
#include "strategy/sobol_strategy.hpp"

namespace h5tune {
namespace {

Space unit_square() {
  Space s;
  s.add_float("a", 0.0, 1.0).add_float("b", 0.0, 1.0);
  return s;
}

Options sobol_options(bool scramble, std::int64_t skip = 0) {
  Options o;
  o.set("scramble", scramble);
  o.set("skip", skip);
  return o;
}

std::vector<std::vector<double>> points(SobolStrategy& sobol, std::size_t n) {
  std::vector<std::vector<double>> out;
  for (const auto& s : sobol.ask(n, {})) out.push_back(s.values);
  return out;
}

// Every elementary box 2^-a x 2^-(k-a) holds exactly one of the points: the first two
// Sobol coordinates form a (0, 2)-sequence in base 2, so the first 2^k points are a
// (0, k, 2)-net. a = 0 and a = k are the one-point-per-strip properties of each axis.
void expect_net(const std::vector<std::vector<double>>& pts, int k) {
  for (int a = 0; a <= k; ++a) {
    std::set<std::pair<long, long>> boxes;
    for (const auto& p : pts)
      boxes.insert({static_cast<long>(std::floor(std::ldexp(p[0], a))),
                    static_cast<long>(std::floor(std::ldexp(p[1], k - a)))});
    EXPECT_EQ(boxes.size(), pts.size()) << "k = " << k << ", a = " << a;
  }
}

TEST(SobolStrategy, UnscrambledSequenceStartsLikeTheClassicOne) {
  SobolStrategy sobol(sobol_options(false), unit_square(), 1);
  const auto p = points(sobol, 4);
  EXPECT_EQ(p[0], (std::vector<double>{0.0, 0.0}));
  EXPECT_EQ(p[1], (std::vector<double>{0.5, 0.5}));
  // Gray-code order: the next two points are the two quarter points (0.75, 0.25) and
  // (0.25, 0.75) in some order.
  EXPECT_EQ((std::set<std::vector<double>>{p[2], p[3]}),
            (std::set<std::vector<double>>{{0.75, 0.25}, {0.25, 0.75}}));
}

TEST(SobolStrategy, FirstPowerOfTwoPointsAreStratified) {
  for (int k = 1; k <= 10; ++k) {
    SobolStrategy sobol(sobol_options(false), unit_square(), 1);
    expect_net(points(sobol, std::size_t{1} << k), k);
  }
}

TEST(SobolStrategy, DigitalShiftKeepsStratificationAndDependsOnTheSeed) {
  SobolStrategy a(sobol_options(true), unit_square(), 1), b(sobol_options(true), unit_square(), 2);
  const auto pa = points(a, 256), pb = points(b, 256);
  expect_net(pa, 8);
  expect_net(pb, 8);
  EXPECT_NE(pa, pb);
  SobolStrategy plain(sobol_options(false), unit_square(), 1);
  EXPECT_NE(pa, points(plain, 256));
}

TEST(SobolStrategy, UnscrambledSequenceIgnoresTheSeed) {
  SobolStrategy a(sobol_options(false), unit_square(), 1), b(sobol_options(false), unit_square(), 2);
  EXPECT_EQ(points(a, 50), points(b, 50));
}

TEST(SobolStrategy, SkipDropsLeadingPoints) {
  for (const bool scramble : {false, true}) {
    SobolStrategy full(sobol_options(scramble), unit_square(), 4);
    SobolStrategy skipped(sobol_options(scramble, 5), unit_square(), 4);
    const auto all = points(full, 12);
    EXPECT_EQ(points(skipped, 7), std::vector<std::vector<double>>(all.begin() + 5, all.end()));
  }
}

TEST(SobolStrategy, TooManyDimensionsIsAnInputError) {
  Space s;
  for (int j = 0; j < 3700; ++j) s.add_float("x" + std::to_string(j), 0.0, 1.0);
  EXPECT_THROW(SobolStrategy(sobol_options(true), s, 1), InputError);
}

}  // namespace
}  // namespace h5tune
