#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/section.hpp"
#include "h5tune/command.hpp"
#include "h5tune/space.hpp"
#include "h5tune/strategy.hpp"
#include "h5tune/study.hpp"

// One reader per top-level table of a study file. Each checks every key of its table and
// throws ConfigError at the first problem; docs/study-file.md is the user-facing reference.
namespace h5tune::config {

/// [study]: name, direction, metric, seed, max_trials, max_time, max_retries, max_failures,
/// log, reproducible.
/// `default_name` is used when the table names none; relative log paths are taken
/// relative to `base_dir` (the study file's directory).
void read_study_table(const Section& study, const std::string& default_name,
                      const std::filesystem::path& base_dir, StudyConfig& out);

/// [space]: one parameter per key, in file order.
Space read_space_table(const Section& space);

/// [strategy]: `kind` and that kind's options, checked against strategy_options(kind)
/// and by building the strategy over `space` once.
StrategyConfig read_strategy_table(const Section& strategy, const Space& space);

/// [stopping]: `kind` (median, asha, hyperband) and that kind's settings.
StoppingConfig read_stopping_table(const Section& stopping);

/// [objective]: the external command, its limits, trial directories, environment and
/// regex metrics. `default_trials_dir` is used when the table names no workdir. With
/// `find_program` false a program that is not there is no error (LoadOptions).
CommandSpec read_objective_table(const Section& objective, const Space& space,
                                 const std::filesystem::path& base_dir,
                                 const std::filesystem::path& default_trials_dir, bool find_program);

/// [[enqueue]]: the points to run first (StudyConfig::enqueued), each a table of parameter
/// values by name, checked against `space`; `root` is the whole file.
std::vector<std::vector<double>> read_enqueue_array(const Section& root, const Space& space);

/// A choice as the program receives it in `{name}`: strings as written, numbers as TOML
/// prints them (a float keeps its ".0", so 1.0 and 1 stay distinct), booleans as
/// true/false. Fails at `key` of `table` for any other value.
std::string choice_text(const Section& table, std::string_view key, const toml::node& node);

/// Checks a metric name (study.metric, objective.metrics keys): it must be non-empty and
/// fit in a protocol line `h5tune: name=value`. Returns the problem, or an empty string.
std::string check_metric_name(const std::string& name);

}  // namespace h5tune::config
