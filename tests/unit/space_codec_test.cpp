#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/space.hpp"

namespace h5tune::space_codec_test {
namespace {

Space mixed_space() {
  Space s;
  s.add_float("x", -2.0, 3.0)
      .add_float("lr", 1e-5, 1e-1, true)
      .add_int("n", -3, 4)
      .add_int("width", 1, 1000, true)
      .add_choice("act", {"relu", "tanh", "gelu"});
  return s;
}

TEST(SpaceCodec, DecodedValuesNeverLeaveTheSpace) {
  const Space s = mixed_space();
  Rng rng(1);
  std::vector<double> u(s.size()), edge_cases{0.0,
                                               1.0,
                                               std::nextafter(1.0, 0.0),
                                               std::nextafter(0.0, 1.0),
                                               -0.5,
                                               1.5,
                                               std::numeric_limits<double>::quiet_NaN(),
                                               std::numeric_limits<double>::infinity(),
                                               -std::numeric_limits<double>::infinity()};
  for (double e : edge_cases) {
    std::fill(u.begin(), u.end(), e);
    ASSERT_TRUE(s.contains(s.from_unit(u))) << "u = " << e;
  }
  for (int k = 0; k < 100000; ++k) {
    for (auto& x : u) x = uniform01(rng);
    ASSERT_TRUE(s.contains(s.from_unit(u)));
  }
}

TEST(SpaceCodec, EndsOfTheCubeMapToTheBounds) {
  const Space s = mixed_space();
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s.from_unit(i, 0.0), s[i].low) << s[i].name;
    EXPECT_EQ(s.from_unit(i, 1.0), s[i].high) << s[i].name;
  }
}

TEST(SpaceCodec, RealsRoundTrip) {
  const Space s = mixed_space();
  for (double v : {-2.0, -1.25, 0.0, 0.3, 3.0}) EXPECT_NEAR(s.from_unit(0, s.to_unit(0, v)), v, 1e-12);
  for (double v : {1e-5, 3e-4, 1e-2, 1e-1})
    EXPECT_NEAR(s.from_unit(1, s.to_unit(1, v)) / v, 1.0, 1e-12);
  EXPECT_NEAR(s.to_unit(0, 0.5), 0.5, 1e-15);
  EXPECT_NEAR(s.from_unit(1, 0.5), 1e-3, 1e-15);  // log scale: the geometric middle
}

TEST(SpaceCodec, DiscreteValuesRoundTripExactlyThroughTheirSliceCentre) {
  const Space s = mixed_space();
  for (int v = -3; v <= 4; ++v) {
    const double u = s.to_unit(2, v);
    EXPECT_NEAR(u, (v + 3 + 0.5) / 8.0, 1e-15);
    EXPECT_EQ(s.from_unit(2, u), v);
  }
  for (int v = 1; v <= 1000; ++v) EXPECT_EQ(s.from_unit(3, s.to_unit(3, v)), v);
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR(s.to_unit(4, c), (c + 0.5) / 3.0, 1e-15);
    EXPECT_EQ(s.from_unit(4, s.to_unit(4, c)), c);
  }
  EXPECT_EQ(s.to_unit(s.from_unit(s.to_unit(std::vector<double>{0.5, 1e-3, 2, 10, 1})))
                .size(),
            5u);
}

TEST(SpaceCodec, IntegersAreEquallyLikely) {
  Space s;
  s.add_int("n", 1, 5);
  Rng rng(7);
  std::map<double, int> counts;
  constexpr int draws = 100000;
  for (int k = 0; k < draws; ++k) ++counts[s.from_unit(0, uniform01(rng))];
  ASSERT_EQ(counts.size(), 5u);
  for (const auto& [value, count] : counts) EXPECT_NEAR(count, draws / 5, 600) << value;  // ~5 sigma
}

TEST(SpaceCodec, LogIntegersFollowTheirLogSlices) {
  Space s;
  s.add_int("width", 1, 1000, true);
  // The slice of 1..10 is [0.5, 10.5] out of [0.5, 1000.5] in log space.
  const double expected = std::log(10.5 / 0.5) / std::log(1000.5 / 0.5);
  Rng rng(11);
  int small = 0;
  constexpr int draws = 100000;
  for (int k = 0; k < draws; ++k) small += s.from_unit(0, uniform01(rng)) <= 10.0;
  EXPECT_NEAR(static_cast<double>(small) / draws, expected, 0.01);
  // Monotone in u and hits every value 1..10 (their slices are wide).
  double previous = 0.0;
  std::map<double, int> seen;
  for (int k = 0; k <= 10000; ++k) {
    const double v = s.from_unit(0, k / 10000.0);
    ASSERT_GE(v, previous);
    previous = v;
    ++seen[v];
  }
  for (int v = 1; v <= 10; ++v) EXPECT_TRUE(seen.count(v)) << v;
}

TEST(SpaceCodec, CategoricalIndexIsFloorOfUTimesN) {
  Space s;
  s.add_choice("act", {"relu", "tanh", "gelu"});
  EXPECT_EQ(s.from_unit(0, 0.0), 0.0);
  EXPECT_EQ(s.from_unit(0, 0.3333), 0.0);
  EXPECT_EQ(s.from_unit(0, 0.34), 1.0);
  EXPECT_EQ(s.from_unit(0, 0.5), 1.0);
  EXPECT_EQ(s.from_unit(0, 0.67), 2.0);
  EXPECT_EQ(s.from_unit(0, 1.0), 2.0);
}

TEST(SpaceCodec, ContainsChecksEveryKind) {
  const Space s = mixed_space();
  EXPECT_TRUE(s.contains(std::vector<double>{0.0, 1e-3, 0, 10, 2}));
  EXPECT_FALSE(s.contains(std::vector<double>{0.0, 1e-3, 0, 10}));         // too short
  EXPECT_FALSE(s.contains(std::vector<double>{3.5, 1e-3, 0, 10, 2}));      // real above high
  EXPECT_FALSE(s.contains(std::vector<double>{NAN, 1e-3, 0, 10, 2}));      // NaN
  EXPECT_FALSE(s.contains(std::vector<double>{0.0, 1e-3, 0.5, 10, 2}));    // integer not integral
  EXPECT_FALSE(s.contains(std::vector<double>{0.0, 1e-3, 5, 10, 2}));      // integer above high
  EXPECT_FALSE(s.contains(std::vector<double>{0.0, 1e-3, 0, 10, 3}));      // no such choice
  EXPECT_FALSE(s.contains(std::vector<double>{0.0, 1e-3, 0, 10, 1.5}));    // index not integral
}

TEST(SpaceCodec, WholePointOfWrongSizeIsAnError) {
  const Space s = mixed_space();
  EXPECT_THROW(s.from_unit(std::vector<double>{0.5}), Error);
  EXPECT_THROW(s.to_unit(std::vector<double>{0.5}), Error);
}

}  // namespace
}  // namespace h5tune::space_codec_test
