#include <fmt/format.h>

#include <regex>
#include <string>
#include <system_error>

#include "h5tune/command.hpp"
#include "h5tune/error.hpp"
#include "objective/child_process.hpp"
#include "objective/command_run.hpp"
#include "objective/leftover_processes.hpp"
#include "objective/metric_collector.hpp"

extern char** environ;

namespace h5tune {

using objective_detail::ChildProcess;
using objective_detail::CompiledRegexMetric;

struct CommandObjective::Compiled {
  std::vector<CompiledRegexMetric> regex_metrics;
};

namespace {

std::string_view variable_name(std::string_view entry) { return entry.substr(0, entry.find('=')); }

/// Our environment, then the study's variables, then the trial's: a later NAME replaces
/// an earlier one.
std::vector<std::string> trial_environment(const std::vector<std::string>& extra, const Trial& trial) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  auto set = [&env](std::string entry) {
    const std::string_view name = variable_name(entry);
    std::erase_if(env, [&](const std::string& old) { return variable_name(old) == name; });
    env.push_back(std::move(entry));
  };
  for (const auto& entry : extra) set(entry);
  set("H5TUNE_TRIAL_ID=" + std::to_string(trial.id()));
  set("H5TUNE_SEED=" + std::to_string(trial.seed()));
  set("H5TUNE_TRIAL_DIR=" + trial.dir().string());
  set("H5TUNE_BUDGET=" + std::to_string(trial.budget()));
  // PBT checkpoints: set when the trial has them, else removed (never inherited from ours).
  const auto checkpoint = [&](std::string_view name, const std::filesystem::path& dir) {
    if (!dir.empty()) set(std::string(name) + "=" + dir.string());
    else std::erase_if(env, [&](const std::string& old) { return variable_name(old) == name; });
  };
  checkpoint("H5TUNE_CHECKPOINT_DIR", trial.checkpoint_dir());
  checkpoint("H5TUNE_RESTORE_FROM", trial.restore_from());
  return env;
}

std::vector<CompiledRegexMetric> compile(const std::vector<RegexMetric>& metrics) {
  std::vector<CompiledRegexMetric> compiled;
  for (const auto& metric : metrics) {
    if (metric.name.empty())
      throw InputError(fmt::format("objective: the regex metric '{}' has no name", metric.pattern));
    std::regex pattern;
    try {
      pattern = std::regex(metric.pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw InputError(fmt::format("objective: metric '{}': invalid regex '{}': {}", metric.name,
                                   metric.pattern, e.what()));
    }
    if (pattern.mark_count() < 1)
      throw InputError(fmt::format("objective: metric '{}': regex '{}' has no capture group; put "
                                   "( ) around the number",
                                   metric.name, metric.pattern));
    compiled.push_back({metric.name, std::move(pattern)});
  }
  return compiled;
}

Outcome failed(std::string message) {
  Outcome outcome;
  outcome.state = TrialState::failed;
  outcome.message = std::move(message);
  return outcome;
}

}  // namespace

CommandObjective::CommandObjective(CommandSpec spec, const Space& space) : spec_(std::move(spec)) {
  if (std::string problem = check_argv_template(spec_.argv, space); !problem.empty())
    throw InputError("objective: " + problem);
  // A program named by a placeholder is only known per trial: it is looked up then.
  const std::string& program = spec_.argv.front();
  if (program.find_first_of("{}") == std::string::npos && find_executable(program).empty())
    throw InputError(program.find('/') != std::string::npos
                         ? fmt::format("objective: program '{}' does not exist or is not executable", program)
                         : fmt::format("objective: program '{}' not found on PATH", program));
  if (spec_.timeout.count() < 0 || spec_.kill_grace.count() < 0)
    throw InputError("objective: timeout and kill grace must not be negative");
  for (const auto& entry : spec_.env)
    if (variable_name(entry).empty() || entry.find('=') == std::string::npos)
      throw InputError(fmt::format("objective: environment entry '{}' is not NAME=value", entry));
  auto compiled = std::make_shared<Compiled>();
  compiled->regex_metrics = compile(spec_.regex_metrics);
  compiled_ = std::move(compiled);
}

Outcome CommandObjective::evaluate(const Trial& trial, Reporter& reporter) {
  const std::filesystem::path dir = trial.dir().empty() ? trial_directory(spec_, trial.id())
                                                        : std::filesystem::absolute(trial.dir());
  std::error_code ec;
  const bool created = std::filesystem::create_directories(dir, ec);
  if (ec)
    throw ObjectiveError(fmt::format("trial {}: cannot create its directory {}: {}", trial.id(),
                                     dir.string(), ec.message()));
  // A directory that was there may be an earlier attempt's, with its processes still in it.
  if (!created) objective_detail::kill_leftover_processes(dir);
  const Trial located(trial.space(), trial.record(), dir, trial.checkpoints());

  objective_detail::SpawnRequest request;
  request.argv = expand_argv(spec_.argv, located);
  const std::filesystem::path program = find_executable(request.argv.front());
  if (program.empty())
    return failed(fmt::format("cannot start '{}': not found or not executable", request.argv.front()));
  // Made absolute here: the child resolves a relative path after changing to its directory.
  request.program = std::filesystem::absolute(program);
  request.directory = dir;
  request.environment = trial_environment(spec_.env, located);

  ChildProcess child;
  if (const int error = child.start(request); error != 0)
    return failed(fmt::format("cannot start '{}': {}", request.program.string(),
                              objective_detail::error_text(error)));
  objective_detail::CommandRun run(spec_, compiled_->regex_metrics, reporter, dir, child);
  return run.supervise();
}

}  // namespace h5tune
