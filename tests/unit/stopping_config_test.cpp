// The [stopping] table of a study file: defaults, every setting, and errors located at
// their line and key.
#include <gtest/gtest.h>

#include <string>

#include "h5tune/config.hpp"
#include "h5tune/error.hpp"
#include "support/config_error_case.hpp"

namespace h5tune {
namespace {

// Study text with `stopping` as lines 5.. (the [stopping] header is line 5).
std::string study_with(const std::string& stopping) {
  return "[study]\ndirection = \"maximize\"\n[space]\nx = { float = [0, 1] }\n[stopping]\n" + stopping;
}

TEST(StoppingConfig, AbsentTableMeansNoStopping) {
  const auto study = parse_study("[study]\ndirection = \"minimize\"\n[space]\nx = { float = [0, 1] }\n", "s.toml");
  EXPECT_FALSE(study.stopping);
}

TEST(StoppingConfig, AshaDefaults) {
  const auto study = parse_study(study_with("kind = \"asha\"\nmax_resource = 81\n"), "s.toml");
  ASSERT_TRUE(study.stopping);
  EXPECT_EQ(study.stopping->kind, StoppingKind::asha);
  EXPECT_EQ(study.stopping->metric, "");  // the study's metric
  EXPECT_EQ(study.stopping->min_resource, 1);
  EXPECT_EQ(study.stopping->max_resource, 81);
  EXPECT_EQ(study.stopping->reduction_factor, 3);
}

TEST(StoppingConfig, EverySetting) {
  auto study = parse_study(study_with("kind = \"hyperband\"\nmetric = \"val_acc\"\nmin_resource = 2\n"
                                      "max_resource = 64\nreduction_factor = 4\nshared_rungs = true\n"),
                           "s.toml");
  ASSERT_TRUE(study.stopping);
  StoppingConfig expected;
  expected.kind = StoppingKind::hyperband;
  expected.metric = "val_acc";
  expected.min_resource = 2;
  expected.max_resource = 64;
  expected.reduction_factor = 4;
  expected.shared_rungs = true;
  EXPECT_EQ(*study.stopping, expected);

  study = parse_study(study_with("kind = \"median\"\nwarmup_trials = 10\nwarmup_steps = 3\n"), "s.toml");
  ASSERT_TRUE(study.stopping);
  EXPECT_EQ(study.stopping->kind, StoppingKind::median);
  EXPECT_EQ(study.stopping->warmup_trials, 10);
  EXPECT_EQ(study.stopping->warmup_steps, 3);
  EXPECT_EQ(check_stopping_config(*study.stopping), "");

  study = parse_study(study_with("kind = \"median\"\n"), "s.toml");
  EXPECT_EQ(study.stopping->warmup_trials, 5);  // Optuna's n_startup_trials
  EXPECT_EQ(study.stopping->warmup_steps, 0);
}

using test::ConfigErrorCase;  // text: the lines after [stopping] (line 5)

const ConfigErrorCase bad_tables[] = {
    {"unknown_kind", "kind = \"sha\"\nmax_resource = 9\n", 6, "stopping.kind",
     "unknown stopping kind 'sha'; expected one of: median, asha, hyperband"},
    {"missing_kind", "max_resource = 9\n", 5, "stopping.kind", "missing; expected one of: median, asha, hyperband"},
    {"missing_max_resource", "kind = \"asha\"\nmin_resource = 2\n", 5, "stopping.max_resource",
     "missing; kind = \"asha\" needs a trial's full budget in reported steps"},
    {"missing_max_resource_hyperband", "kind = \"hyperband\"\n", 5, "stopping.max_resource",
     "kind = \"hyperband\" needs"},
    {"eta_below_two", "kind = \"asha\"\nmax_resource = 9\nreduction_factor = 1\n", 8, "stopping.reduction_factor",
     "expected an integer >= 2, got 1"},
    {"eta_not_integer", "kind = \"asha\"\nmax_resource = 9\nreduction_factor = 2.5\n", 8,
     "stopping.reduction_factor", "expected an integer >= 2, got 2.5"},
    {"min_equals_max", "kind = \"asha\"\nmin_resource = 9\nmax_resource = 9\n", 8, "stopping.max_resource",
     "expected max_resource > min_resource (9), got 9"},
    {"min_above_max", "kind = \"hyperband\"\nmax_resource = 4\nmin_resource = 5\n", 7, "stopping.max_resource",
     "expected max_resource > min_resource (5), got 4"},
    {"min_resource_zero", "kind = \"asha\"\nmin_resource = 0\nmax_resource = 9\n", 7, "stopping.min_resource",
     "expected an integer >= 1, got 0"},
    {"unknown_key", "kind = \"asha\"\nmax_resource = 9\neta = 3\n", 8, "stopping.eta",
     "unknown key 'eta' in [stopping]; expected one of: kind, metric, min_resource"},
    {"median_key_for_asha", "kind = \"asha\"\nmax_resource = 9\nwarmup_trials = 3\n", 8, "stopping.warmup_trials",
     "'warmup_trials' applies to kind = \"median\" only, not to kind = \"asha\""},
    {"rung_key_for_median", "kind = \"median\"\nmax_resource = 9\n", 7, "stopping.max_resource",
     "'max_resource' applies to kind = \"asha\" or \"hyperband\" only, not to kind = \"median\""},
    {"shared_rungs_for_asha", "kind = \"asha\"\nmax_resource = 9\nshared_rungs = true\n", 8,
     "stopping.shared_rungs", "'shared_rungs' applies to kind = \"hyperband\" only, not to kind = \"asha\""},
    {"shared_rungs_not_bool", "kind = \"hyperband\"\nmax_resource = 9\nshared_rungs = 1\n", 8,
     "stopping.shared_rungs", "expected true or false, got 1"},
    {"negative_warmup", "kind = \"median\"\nwarmup_steps = -1\n", 7, "stopping.warmup_steps",
     "expected a non-negative integer, got -1"},
    {"bad_metric", "kind = \"median\"\nmetric = \"val loss\"\n", 7, "stopping.metric", "metric name 'val loss'"},
};

class StoppingConfigErrors : public ::testing::TestWithParam<ConfigErrorCase> {};

TEST_P(StoppingConfigErrors, PointsAtTheProblem) { test::expect_config_error(study_with(GetParam().text), GetParam()); }

INSTANTIATE_TEST_SUITE_P(Stopping, StoppingConfigErrors, ::testing::ValuesIn(bad_tables), test::config_error_case_name);

}  // namespace
}  // namespace h5tune
