// [[enqueue]] in a study file: the points land in StudyConfig::enqueued in Space order
// (NaN where a point leaves a parameter out), and every wrong point is an error at its line
// and key.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "h5tune/config.hpp"
#include "h5tune/error.hpp"
#include "support/config_error_case.hpp"

namespace {

constexpr const char* enqueue_space = R"([study]
direction = "minimize"
max_trials = 5
[space]
lr = { float = [1e-4, 1.0], log = true }
layers = { int = [1, 6] }
act = { choice = ["relu", "tanh"] }
flag = { choice = [1, 2.5, true] }
)";

TEST(ConfigEnqueue, PointsLandInSpaceOrderWithNaNForWhatTheyLeaveOut) {
  const std::string text = std::string(enqueue_space) + R"(
[[enqueue]]
act = "tanh"
layers = 3
lr = 0.01
flag = 2.5

[[enqueue]]
lr = 1   # an integer is a valid float value
)";
  const h5tune::StudyConfig config = h5tune::parse_study(text, "s.toml");
  ASSERT_EQ(config.enqueued.size(), 2u);
  EXPECT_EQ(config.enqueued[0], (std::vector<double>{0.01, 3.0, 1.0, 1.0}));
  ASSERT_EQ(config.enqueued[1].size(), 4u);
  EXPECT_EQ(config.enqueued[1][0], 1.0);
  for (std::size_t i = 1; i < 4; ++i) EXPECT_TRUE(std::isnan(config.enqueued[1][i]));
}

TEST(ConfigEnqueue, InlineTablesInAnArrayWorkToo) {
  const std::string text = std::string(enqueue_space) + "enqueue = [{ layers = 2 }, { act = \"relu\" }]\n";
  // `enqueue = [...]` after [space] would belong to [space]; put it before the first table.
  const std::string top = "enqueue = [{ layers = 2 }, { act = \"relu\" }]\n" + std::string(enqueue_space);
  const h5tune::StudyConfig config = h5tune::parse_study(top, "s.toml");
  ASSERT_EQ(config.enqueued.size(), 2u);
  EXPECT_EQ(config.enqueued[0][1], 2.0);
  EXPECT_EQ(config.enqueued[1][2], 0.0);
  EXPECT_THROW((void)h5tune::parse_study(text, "s.toml"), h5tune::ConfigError);  // space.enqueue: not a parameter
}

TEST(ConfigEnqueue, NoEnqueueLeavesTheListEmpty) {
  EXPECT_TRUE(h5tune::parse_study(enqueue_space, "s.toml").enqueued.empty());
}

using h5tune::test::ConfigErrorCase;  // text: appended after enqueue_space, whose last line is line 8

const ConfigErrorCase bad_enqueues[] = {
    {"unknown_parameter", "[[enqueue]]\nlr = 0.1\nlayer = 2\n", 11, "enqueue[1].layer",
     "unknown parameter 'layer'; the space has lr, layers, act, flag"},
    {"float_out_of_range", "[[enqueue]]\nlr = 0.1\n[[enqueue]]\nlr = 2.0\n", 12, "enqueue[2].lr",
     "parameter 'lr': 2 is outside the range [1e-04, 1]"},
    {"float_given_text", "[[enqueue]]\nlr = \"0.1\"\n", 10, "enqueue[1].lr",
     "expected a number for float parameter 'lr', got '0.1'"},
    {"int_given_a_float", "[[enqueue]]\nlayers = 2.5\n", 10, "enqueue[1].layers",
     "expected an integer for int parameter 'layers', got 2.5"},
    {"int_out_of_range", "[[enqueue]]\nlayers = 7\n", 10, "enqueue[1].layers",
     "parameter 'layers': 7 is outside the range [1, 6]"},
    {"unknown_choice", "[[enqueue]]\nact = \"gelu\"\n", 10, "enqueue[1].act",
     "expected one of the choices [relu, tanh] of parameter 'act', got 'gelu'"},
    {"choice_of_another_type", "[[enqueue]]\nflag = 2\n", 10, "enqueue[1].flag",
     "expected one of the choices [1, 2.5, true] of parameter 'flag', got 2"},
    {"empty_point", "[[enqueue]]\n[[enqueue]]\nlr = 0.1\n", 9, "enqueue[1]",
     "the point gives no parameter; give some of lr, layers, act, flag"},
    {"more_points_than_trials",
     "[[enqueue]]\nlr = 0.1\n[[enqueue]]\nlr = 0.1\n[[enqueue]]\nlr = 0.1\n[[enqueue]]\nlr = 0.1\n"
     "[[enqueue]]\nlr = 0.1\n[[enqueue]]\nlr = 0.1\n",
     9, "enqueue", "6 points are enqueued but study.max_trials is 5"},
    {"with_a_checkpointing_strategy", "[strategy]\nkind = \"pbt\"\n[[enqueue]]\nlr = 0.1\n", 11, "enqueue",
     "[[enqueue]] does not work with strategy 'pbt'"},
};

class ConfigEnqueueErrors : public ::testing::TestWithParam<ConfigErrorCase> {};

TEST_P(ConfigEnqueueErrors, PointsAtTheProblem) {
  h5tune::test::expect_config_error(std::string(enqueue_space) + GetParam().text, GetParam(), "s.toml");
}

INSTANTIATE_TEST_SUITE_P(Study, ConfigEnqueueErrors, ::testing::ValuesIn(bad_enqueues),
                         h5tune::test::config_error_case_name);

TEST(ConfigEnqueue, NotAnArrayOfTablesIsAnError) {
  try {
    (void)h5tune::parse_study("enqueue = 3\n" + std::string(enqueue_space), "s.toml");
    FAIL() << "no ConfigError";
  } catch (const h5tune::ConfigError& e) {
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(e.key(), "enqueue");
    EXPECT_NE(std::string(e.what()).find("expected [[enqueue]] tables of parameter values"), std::string::npos)
        << e.what();
  }
}

}  // namespace
