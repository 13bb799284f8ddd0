// Every way a study file can be wrong: each case is a study text, the line (and key) the
// error must point at, and a piece of the message that says what was expected.
#include <gtest/gtest.h>

#include <string>

#include "h5tune/config.hpp"
#include "h5tune/error.hpp"
#include "support/config_error_case.hpp"

namespace {

using h5tune::test::ConfigErrorCase;

// Lines are counted from the first line of each raw string.
const ConfigErrorCase bad_studies[] = {
    {"syntax_error", R"([study]
direction = "minimize"
name = "unterminated
[space]
x = { float = [0, 1] }
)", 3, "", "TOML syntax error"},
    {"unknown_top_level_table", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objectives]
command = ["sh"]
)", 5, "objectives", "unknown top-level table 'objectives'"},
    {"top_level_key_not_a_table", R"(study = 3
[space]
x = { float = [0, 1] }
)", 1, "study", "expected a table [study], got 3"},
    {"unknown_study_key", R"([study]
direction = "minimize"
mx_trials = 3
[space]
x = { float = [0, 1] }
)", 3, "study.mx_trials", "unknown key 'mx_trials' in [study]; expected one of: name, direction", 1},
    {"unknown_objective_key", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
comand = ["sh"]
)", 6, "objective.comand", "unknown key 'comand' in [objective]; expected one of: command"},
    {"unknown_parameter_key", R"([study]
direction = "minimize"
[space]
x = { float = [1e-5, 1], lgo = true }
)", 4, "space.x.lgo", "unknown key 'lgo' in [space.x]; expected one of: float, int, choice, log", 26},
    {"unknown_strategy_option", R"([study]
direction = "minimize"
[strategy]
kind = "grid"
points = 3
[space]
x = { float = [0, 1] }
)", 5, "strategy.points", "unknown option 'points' of strategy 'grid'; its options are: points_per_axis"},
    {"option_of_strategy_without_options", R"([study]
direction = "minimize"
[strategy]
kind = "random"
points_per_axis = 3
[space]
x = { float = [0, 1] }
)", 5, "strategy.points_per_axis", "strategy 'random' takes no options"},
    {"max_trials_not_integer", R"([study]
direction = "minimize"
max_trials = "ten"
[space]
x = { float = [0, 1] }
)", 3, "study.max_trials", "expected an integer >= 1, got 'ten'", 14},
    {"max_trials_zero", R"([study]
direction = "minimize"
max_trials = 0
[space]
x = { float = [0, 1] }
)", 3, "study.max_trials", "expected an integer >= 1, got 0"},
    {"negative_seed", R"([study]
direction = "minimize"
seed = -1
[space]
x = { float = [0, 1] }
)", 3, "study.seed", "expected a non-negative integer, got -1"},
    {"log_not_string", R"([study]
direction = "minimize"
log = 3
[space]
x = { float = [0, 1] }
)", 3, "study.log", "expected a string, got 3"},
    {"direction_not_string", R"([study]
direction = 1
[space]
x = { float = [0, 1] }
)", 2, "study.direction", "expected 'minimize' or 'maximize', got 1"},
    {"direction_misspelt", R"([study]
direction = "minimise"
[space]
x = { float = [0, 1] }
)", 2, "study.direction", "expected 'minimize' or 'maximize', got 'minimise'"},
    {"direction_missing", R"([study]
name = "a"
[space]
x = { float = [0, 1] }
)", 1, "study.direction", "missing; expected 'minimize' or 'maximize'"},
    {"study_missing", R"([space]
x = { float = [0, 1] }
)", 0, "study", "missing table [study]"},
    {"empty_name", R"([study]
name = ""
direction = "minimize"
[space]
x = { float = [0, 1] }
)", 2, "study.name", "expected a non-empty string"},
    {"empty_metric", R"([study]
direction = "minimize"
metric = ""
[space]
x = { float = [0, 1] }
)", 3, "study.metric", "expected a non-empty metric name"},
    {"metric_with_space", R"([study]
direction = "minimize"
metric = "val loss"
[space]
x = { float = [0, 1] }
)", 3, "study.metric", "metric name 'val loss' must start with a letter or '_' and contain only"},
    {"reproducible_not_bool", R"([study]
direction = "minimize"
reproducible = "yes"
[space]
x = { float = [0, 1] }
)", 3, "study.reproducible", "expected true or false, got 'yes'"},
    {"max_retries_negative", R"([study]
direction = "minimize"
max_retries = -1
[space]
x = { float = [0, 1] }
)", 3, "study.max_retries", "expected a non-negative integer, got -1"},
    {"max_failures_fraction_above_one", R"([study]
direction = "minimize"
max_failures = 1.5
[space]
x = { float = [0, 1] }
)", 3, "study.max_failures", "or a fraction of the finished trials (a float between 0 and 1, e.g. 0.3), got 1.5"},
    {"max_failures_fraction_one", R"([study]
direction = "minimize"
max_failures = 1.0
[space]
x = { float = [0, 1] }
)", 3, "study.max_failures", "(a float between 0 and 1, e.g. 0.3), got 1.0"},
    {"max_failures_text", R"([study]
direction = "minimize"
max_failures = "many"
[space]
x = { float = [0, 1] }
)", 3, "study.max_failures", "expected a number of failed trials (an integer >= 0, e.g. 10)"},
    {"max_time_zero", R"([study]
direction = "minimize"
max_time = 0
[space]
x = { float = [0, 1] }
)", 3, "study.max_time", "expected a positive duration"},
    {"command_is_a_string", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = "python train.py"
)", 6, "objective.command", "expected an array of strings"},
    {"command_element_not_string", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh", 3]
)", 6, "objective.command", "expected an array of strings such as", 18},
    {"command_empty", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = []
)", 6, "objective.command", "got an empty array"},
    {"command_missing", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
timeout = "10m"
)", 5, "objective.command", "missing; expected an array of strings"},
    {"float_bound_not_number", R"([study]
direction = "minimize"
[space]
x = { float = [1, "a"] }
)", 4, "space.x.float", "expected a number as float bound, got 'a'", 19},
    {"parameter_without_kind", R"([study]
direction = "minimize"
[space]
x = { log = true }
)", 4, "space.x", "parameter 'x' has no kind; expected { float = [low, high] }"},
    {"parameter_with_two_kinds", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1], int = [0, 3] }
)", 4, "space.x", "parameter 'x' has 2 kinds (float and int)"},
    {"parameter_not_a_table", R"([study]
direction = "minimize"
[space]
x = [0, 1]
)", 4, "space.x", "expected a parameter table such as { float = [low, high] }"},
    {"range_with_one_element", R"([study]
direction = "minimize"
[space]
x = { float = [1] }
)", 4, "space.x.float", "expected [low, high] (an array of 2 numbers), got 1 element"},
    {"range_with_three_elements", R"([study]
direction = "minimize"
[space]
n = { int = [1, 2, 3] }
)", 4, "space.n.int", "expected [low, high] (an array of 2 numbers), got 3 elements"},
    {"range_not_array", R"([study]
direction = "minimize"
[space]
n = { int = 4 }
)", 4, "space.n.int", "expected [low, high] (an array of 2 numbers), got 4"},
    {"low_not_below_high", R"([study]
direction = "minimize"
[space]
x = { float = [1, 1] }
)", 4, "space.x.float", "low must be less than high"},
    {"int_low_above_high", R"([study]
direction = "minimize"
[space]
n = { int = [5, 2] }
)", 4, "space.n.int", "low must be less than high"},
    {"int_bound_not_integer", R"([study]
direction = "minimize"
[space]
n = { int = [1.5, 4] }
)", 4, "space.n.int", "expected an integer as int bound, got 1.5"},
    {"log_range_with_zero", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1], log = true }
)", 4, "space.x.float", "log-scaled range must be positive"},
    {"log_range_negative", R"([study]
direction = "minimize"
[space]
n = { int = [-2, 4], log = true }
)", 4, "space.n.int", "log-scaled range must be positive"},
    {"log_not_bool", R"([study]
direction = "minimize"
[space]
x = { float = [1, 2], log = "yes" }
)", 4, "space.x.log", "expected true or false"},
    {"log_on_choice", R"([study]
direction = "minimize"
[space]
act = { choice = ["relu", "tanh"], log = true }
)", 4, "space.act.log", "log applies to float and int parameters only"},
    {"empty_choice_list", R"([study]
direction = "minimize"
[space]
act = { choice = [] }
)", 4, "space.act.choice", "needs at least one choice"},
    {"duplicate_choices", R"([study]
direction = "minimize"
[space]
act = { choice = ["relu", "tanh", "relu"] }
)", 4, "space.act.choice", "choice 'relu' appears more than once"},
    {"number_and_text_choice_collide", R"([study]
direction = "minimize"
[space]
n = { choice = [1, "1"] }
)", 4, "space.n.choice", "choice '1' appears more than once"},
    {"choice_of_array", R"([study]
direction = "minimize"
[space]
n = { choice = [[1, 2]] }
)", 4, "space.n.choice", "expected choices that are strings, integers, finite floats or booleans"},
    {"space_missing", R"([study]
direction = "minimize"
)", 0, "space", "missing table [space]"},
    {"space_empty", R"([study]
direction = "minimize"

[space]
)", 4, "space", "the search space is empty"},
    {"unknown_strategy_kind", R"([study]
direction = "minimize"
[strategy]
kind = "bayes"
[space]
x = { float = [0, 1] }
)", 4, "strategy.kind", "unknown strategy kind 'bayes'; expected one of: random, grid, sobol"},
    {"option_wrong_type", R"([study]
direction = "minimize"
[strategy]
kind = "grid"
points_per_axis = "ten"
[space]
x = { float = [0, 1] }
)", 5, "strategy.points_per_axis", "expected an integer, got 'ten'"},
    {"option_array", R"([study]
direction = "minimize"
[strategy]
kind = "grid"
points_per_axis = [3]
[space]
x = { float = [0, 1] }
)", 5, "strategy.points_per_axis", "expected an integer, got an array"},
    {"option_out_of_bounds", R"([study]
direction = "minimize"
[strategy]
kind = "grid"
points_per_axis = 1
[space]
x = { float = [0, 1] }
)", 5, "strategy.points_per_axis", "must be in [2,"},
    {"option_nan", R"([study]
direction = "minimize"
[strategy]
kind = "gp"
kappa = nan
[space]
x = { float = [0, 1] }
)", 5, "strategy.kappa", "must be in [0, 1000], got nan"},
    {"option_float_out_of_range", R"([study]
direction = "minimize"
[strategy]
kind = "gp"
kappa = 2000.0
[space]
x = { float = [0, 1] }
)", 5, "strategy.kappa", "must be in [0, 1000], got 2000.0"},
    {"options_that_disagree", R"([study]
direction = "minimize"
[strategy]
kind = "successive_halving"
min_resource = 9
max_resource = 3
[space]
x = { float = [0, 1] }
)", 6, "strategy.max_resource", "max_resource (3) must be greater than min_resource (9)"},
    {"option_default_that_disagrees", R"([study]
direction = "minimize"
[strategy]
kind = "successive_halving"
min_resource = 100
[space]
x = { float = [0, 1] }
)", 5, "strategy.min_resource", "max_resource (81) must be greater than min_resource (100)"},
    {"option_a_kind_checks_itself", R"([study]
direction = "minimize"
[strategy]
kind = "cmaes"
sigma0 = 0.3
popsize = 1
[space]
x = { float = [0, 1] }
)", 6, "strategy.popsize", "must be 0 (the default formula) or at least 2"},
    {"option_mentioned_in_another_options_error", R"([study]
direction = "minimize"
[strategy]
kind = "successive_halving"
reduction_factor = 3
brackets = 9
[space]
x = { float = [0, 1] }
)", 6, "strategy.brackets", "9 brackets asked"},
    {"options_that_exclude_each_other", R"([study]
direction = "minimize"
[strategy]
kind = "tpe"
multivariate = true
joint_every = 3
[space]
x = { float = [0, 1] }
)", 6, "strategy.joint_every", "with 'multivariate = true' every suggestion is joint already"},
    {"option_with_nothing_to_shape", R"([study]
direction = "minimize"
[strategy]
kind = "tpe"
joint_every = 0
joint_after = 40
[space]
x = { float = [0, 1] }
)", 6, "strategy.joint_after", "there are none with 'joint_every = 0'"},
    {"option_value_the_kind_rejects", R"([study]
direction = "minimize"
[strategy]
kind = "gp"
n_initial = 5
acquisition = "pi"
[space]
x = { float = [0, 1] }
)", 6, "strategy.acquisition", "\"pi\" is neither \"logei\" nor \"ucb\""},
    {"unknown_placeholder", R"([study]
direction = "minimize"
[space]
lr = { float = [1e-5, 1e-1], log = true }
[objective]
command = ["sh", "train.sh",
           "--lr", "{lrr}"]
)", 7, "objective.command", "unknown placeholder {lrr}; known: {lr}", 20},
    {"study_dir_parameter", R"([study]
direction = "minimize"
[space]
study_dir = { float = [0, 1] }
[objective]
command = ["sh", "{study_dir}/train.sh"]
)", 6, "objective.command", "placeholder {study_dir} is ambiguous"},
    {"unbalanced_brace", R"([study]
direction = "minimize"
[space]
lr = { float = [1e-5, 1e-1], log = true }
[objective]
command = ["sh", "{lr"]
)", 6, "objective.command", "unbalanced '{'"},
    {"program_not_found", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["pyhton3", "train.py"]
)", 6, "objective.command", "program 'pyhton3' not found on PATH"},
    {"bad_duration", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
timeout = "10 minutes"
)", 7, "objective.timeout", "expected a positive duration such as \"90s\", \"10m\", \"1h30m\", \"1.5h\" or a number of seconds, got '10 minutes'"},
    {"negative_kill_grace", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
kill_grace = -1
)", 7, "objective.kill_grace", "expected a duration such as"},
    {"bad_regex", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
[objective.metrics]
acc = { regex = 'acc: ([0-9.]+)' }
loss = { regex = 'loss: ([0-9.' }
)", 9, "objective.metrics.loss.regex", "not a valid ECMAScript regular expression"},
    {"regex_backreference_too_long", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
[objective.metrics]
loss = { regex = '(a)\222222222222222222222s*(\S+)' }
)", 8, "objective.metrics.loss.regex", "the back-reference \\222222222222222222222 has 21 digits; at most 3"},
    {"regex_repetition_too_large", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
[objective.metrics]
loss = { regex = 'loss: ([0-9]{1,99999999999})' }
)", 8, "objective.metrics.loss.regex", "the repetition count 99999999999 has 11 digits; at most 4"},
    {"regex_without_group", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
[objective.metrics]
loss = { regex = 'loss: [0-9.]+' }
)", 8, "objective.metrics.loss.regex", "needs a capture group around the number"},
    {"metric_without_regex", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
[objective.metrics]
loss = { }
)", 8, "objective.metrics.loss.regex", "missing; expected regex ="},
    {"metric_name_with_equals_sign", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
[objective.metrics]
"loss=" = { regex = 'loss: (.*)' }
)", 8, "objective.metrics.loss=", "metric name 'loss=' must start with a letter or '_'"},
    {"metric_not_a_table", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
metrics = { loss = 'loss: (.*)' }
)", 7, "objective.metrics.loss", "expected a metric table such as { regex ="},
    {"unknown_metric_key", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
[objective.metrics]
loss = { regx = 'loss: (.*)' }
)", 8, "objective.metrics.loss.regx", "unknown key 'regx'"},
    {"env_value_not_string", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
env = { OMP_NUM_THREADS = 1 }
)", 7, "objective.env.OMP_NUM_THREADS", "expected a string, got 1"},
    {"env_overrides_h5tune_variable", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
env = { H5TUNE_SEED = "1" }
)", 7, "objective.env.H5TUNE_SEED", "is set by h5tune for each trial"},
    {"workdir_empty", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
workdir = ""
)", 7, "objective.workdir", "expected a non-empty string"},
};

class ConfigErrors : public ::testing::TestWithParam<ConfigErrorCase> {};

TEST_P(ConfigErrors, PointsAtTheProblem) { h5tune::test::expect_config_error(GetParam().text, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Study, ConfigErrors, ::testing::ValuesIn(bad_studies), h5tune::test::config_error_case_name);

TEST(ConfigErrorsMessage, FollowsTheDocumentedForm) {
  try {
    (void)h5tune::parse_study("[study]\ndirection = \"minimise\"\n[space]\nx = { float = [0, 1] }\n", "s.toml");
    FAIL() << "no ConfigError";
  } catch (const h5tune::ConfigError& e) {
    EXPECT_STREQ(e.what(), "s.toml:2:13: key 'study.direction': expected 'minimize' or 'maximize', got 'minimise'");
  }
}

TEST(ConfigErrorsMessage, ReportsTheFirstProblemInFileOrder) {
  // Both keys are unknown; toml++ sorts keys, but the error must name the one written first.
  try {
    (void)h5tune::parse_study("[study]\ndirection = \"minimize\"\nzz = 1\naa = 2\n[space]\nx = { float = [0, 1] }\n",
                              "s.toml");
    FAIL() << "no ConfigError";
  } catch (const h5tune::ConfigError& e) {
    EXPECT_EQ(e.key(), "study.zz");
    EXPECT_EQ(e.line(), 3);
  }
}

}  // namespace
