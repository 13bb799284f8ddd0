// The gp strategy's trust region: the side-length rule, the box, and the search inside it.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "h5tune/seed.hpp"
#include "strategy/gp/acquisition_search.hpp"
#include "strategy/gp/gp_model.hpp"
#include "strategy/gp/gp_strategy.hpp"
#include "strategy/gp/trust_region.hpp"
#include "support/trial_record.hpp"

namespace h5tune::gp {
namespace {

TEST(GpTrustRegion, FailuresHalveTheSideAndTooSmallARegionStartsAgain) {
  TrustRegionRule rule;  // initial 0.8, min 2^-7, tolerance 5 failures
  std::vector<double> values{3.0, 2.0, 1.0};  // the design: best 1.0
  EXPECT_DOUBLE_EQ(trust_region_length(values, 3, rule), 0.8);
  for (int k = 0; k < 4; ++k) values.push_back(5.0);
  EXPECT_DOUBLE_EQ(trust_region_length(values, 3, rule), 0.8) << "4 failures are below the tolerance";
  values.push_back(5.0);
  EXPECT_DOUBLE_EQ(trust_region_length(values, 3, rule), 0.4);
  for (int k = 0; k < 5 * 6; ++k) values.push_back(1.0);  // equal to the best: no success
  // 0.4 -> 0.2 -> 0.1 -> 0.05 -> 0.025 -> 0.0125 -> 0.00625 < 2^-7, so back to 0.8.
  EXPECT_DOUBLE_EQ(trust_region_length(values, 3, rule), 0.8);
}

TEST(GpTrustRegion, SuccessesInARowDoubleTheSideUpToTheMaximum) {
  TrustRegionRule rule;
  std::vector<double> values{1.0};
  for (int k = 0; k < 5; ++k) values.push_back(2.0);  // 5 failures: 0.4
  EXPECT_DOUBLE_EQ(trust_region_length(values, 1, rule), 0.4);
  values.insert(values.end(), {0.9, 0.8});
  EXPECT_DOUBLE_EQ(trust_region_length(values, 1, rule), 0.4) << "2 successes are below the tolerance";
  values.push_back(0.7);
  EXPECT_DOUBLE_EQ(trust_region_length(values, 1, rule), 0.8);
  values.insert(values.end(), {0.6, 0.5, 0.4, 0.3, 0.2, 0.1});
  EXPECT_DOUBLE_EQ(trust_region_length(values, 1, rule), 1.6) << "capped at max_length";
  // An improvement smaller than 1e-3 of the best is not a success: five of them are failures.
  values.insert(values.end(), {0.09999, 0.09998, 0.09997, 0.09996, 0.09995});
  EXPECT_DOUBLE_EQ(trust_region_length(values, 1, rule), 0.8);
}

TEST(GpTrustRegion, BoxIsStretchedByTheLengthScalesAndClippedToTheCube) {
  Space space;
  space.add_float("a", 0.0, 1.0).add_choice("c", {"x", "y"}).add_float("b", 0.0, 1.0);
  const PointCodec codec(space);  // inputs: a, c=x, c=y, b
  Eigen::VectorXd theta(6);
  // Length scales 0.5 (a) and 0.125 (b): geometric mean 0.25, so a is twice as wide, b half.
  theta << std::log(0.5), 0.0, 0.0, std::log(0.125), 0.0, -6.0;
  Eigen::VectorXd center(4);
  center << 0.5, 1.0, 0.0, 0.95;
  const SearchBox box = trust_region_box(codec, center, theta, 0.2);
  EXPECT_NEAR(box.lower(0), 0.3, 1e-12);
  EXPECT_NEAR(box.upper(0), 0.7, 1e-12);
  EXPECT_NEAR(box.lower(3), 0.9, 1e-12);
  EXPECT_NEAR(box.upper(3), 1.0, 1e-12) << "0.95 + 0.05 clipped";
  EXPECT_EQ(box.lower(1), 0.0);  // categorical inputs stay whole
  EXPECT_EQ(box.upper(2), 1.0);
}

TEST(GpTrustRegion, SearchBoxHasTheSameSideOnEveryFloatAndIntInput) {
  Space space;
  space.add_float("a", 0.0, 1.0).add_choice("c", {"x", "y"}).add_float("lr", 1e-4, 1.0, true);
  const PointCodec codec(space);  // inputs: a, c=x, c=y, lr
  Eigen::VectorXd center(4);
  center << 0.5, 0.0, 1.0, 0.05;
  const SearchBox box = search_box(codec, center, 0.2);
  EXPECT_NEAR(box.lower(0), 0.4, 1e-12);
  EXPECT_NEAR(box.upper(0), 0.6, 1e-12);
  EXPECT_EQ(box.lower(3), 0.0) << "0.05 - 0.1 clipped";
  EXPECT_NEAR(box.upper(3), 0.15, 1e-12);
  EXPECT_EQ(box.lower(1), 0.0);  // categorical inputs stay whole
  EXPECT_EQ(box.upper(1), 1.0);
}

TEST(GpTrustRegion, AnyBoxReachesBothNeighboursOfAnInteger) {
  // A side smaller than an integer's slice would freeze it at the best point's value.
  Space space;
  space.add_int("layers", 1, 8).add_int("units", 16, 512, true);
  const PointCodec codec(space);
  const Eigen::VectorXd center = codec.encode({4.0, 64.0});
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(4);
  for (const SearchBox& box : {search_box(codec, center, 0.01), trust_region_box(codec, center, theta, 0.01)}) {
    for (double layers : {3.0, 5.0}) {
      const double u = codec.encode({layers, 64.0})(0);
      EXPECT_LE(box.lower(0), u + 1e-12);
      EXPECT_GE(box.upper(0), u - 1e-12);
    }
    for (double units : {63.0, 65.0}) {
      const double u = codec.encode({4.0, units})(1);
      EXPECT_LE(box.lower(1), u + 1e-12);
      EXPECT_GE(box.upper(1), u - 1e-12);
    }
    EXPECT_LT(box.upper(0) - box.lower(0), 0.3) << "no wider than the two neighbours need";
  }
  // At a bound the one neighbour decides; the box stays in the cube.
  const SearchBox low = search_box(codec, codec.encode({1.0, 16.0}), 0.01);
  EXPECT_EQ(low.lower(0), 0.0);
  EXPECT_GE(low.upper(0), codec.encode({2.0, 16.0})(0) - 1e-12);
}

TEST(GpTrustRegion, ResultsSinceImprovementCountsTheValuesAfterTheLastNewBest) {
  EXPECT_EQ(results_since_improvement({}), 0u);
  EXPECT_EQ(results_since_improvement({5.0}), 0u);
  EXPECT_EQ(results_since_improvement({3.0, 2.0, 1.0}), 0u);
  EXPECT_EQ(results_since_improvement({1.0, 2.0, 3.0}), 2u);
  EXPECT_EQ(results_since_improvement({3.0, 1.0, 2.0, 1.0}), 2u) << "equal to the best is no improvement";
}

TEST(GpTrustRegion, EveryCandidateAndPolishedPointStaysInTheBox) {
  Space space;
  space.add_float("a", -5.0, 5.0).add_int("n", 0, 100).add_float("lr", 1e-4, 1.0, true);
  const PointCodec codec(space);
  Eigen::VectorXd theta = Eigen::VectorXd::Constant(5, std::log(0.3));
  theta(4) = std::log(1e-6);
  GpModel model(codec.dims(), theta);
  Rng data(3);
  for (int k = 0; k < 15; ++k) {
    std::vector<double> u{uniform01(data), uniform01(data), uniform01(data)};
    const Eigen::VectorXd x = codec.from_space_unit(u);
    ASSERT_TRUE(model.add(x, std::sin(7.0 * x(0)) + x(1) * x(1) - x(2)));
  }
  model.standardize();
  SearchBox box{Eigen::Vector3d(0.6, 0.1, 0.2), Eigen::Vector3d(0.7, 0.3, 0.25)};
  const std::vector<Eigen::VectorXd> anchors{Eigen::Vector3d(0.05, 0.9, 0.9)};  // outside
  Acquisition acquisition;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed);
    const auto pick = maximize_acquisition(model, acquisition, codec, anchors, {}, SearchEffort{}, rng, box);
    ASSERT_TRUE(pick.has_value());
    const Eigen::VectorXd x = codec.encode(*pick);
    // An int rounds to the nearest value of its slice: within half a slice of the box.
    const double slack[3] = {1e-12, 0.5 / 101.0, 1e-12};
    for (int j = 0; j < 3; ++j) {
      EXPECT_GE(x(j), box.lower(j) - slack[j]) << "seed " << seed << " input " << j;
      EXPECT_LE(x(j), box.upper(j) + slack[j]) << "seed " << seed << " input " << j;
    }
  }
}

}  // namespace
}  // namespace h5tune::gp
