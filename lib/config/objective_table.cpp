#include <regex>

#include <fmt/format.h>

#include "config/regex_numbers.hpp"
#include "config/sections.hpp"

namespace h5tune::config {
namespace {

// `{study_dir}` is fixed for the whole study, so it is expanded here, once: the study
// file's directory, with braces doubled so the path stays literal in the template.
std::string expand_study_dir(const std::string& element, const std::filesystem::path& base_dir, bool& expanded) {
  constexpr std::string_view placeholder = "{study_dir}";
  std::string escaped;
  for (char c : base_dir.string()) escaped += (c == '{' || c == '}') ? std::string(2, c) : std::string(1, c);
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = element.find(placeholder); at != std::string::npos; at = element.find(placeholder, from)) {
    // Skip an escaped "{{study_dir}}": count the braces before it.
    std::size_t braces = 0;
    while (at > braces && element[at - braces - 1] == '{') ++braces;
    out += element.substr(from, at - from);
    if (braces % 2 == 0) expanded = true;
    out += braces % 2 == 0 ? escaped : std::string(placeholder);
    from = at + placeholder.size();
  }
  return out + element.substr(from);
}

std::vector<std::string> read_argv(const Section& objective, const Space& space, const std::filesystem::path& base_dir) {
  const auto* node = objective.find("command");
  constexpr const char* expected = "expected an array of strings such as [\"python3\", \"train.py\", \"--lr\", \"{lr}\"]";
  if (!node) objective.fail_missing("command", fmt::format("missing; {}", expected));
  const auto* array = node->as_array();
  if (!array) objective.fail("command", fmt::format("{} (no shell is used), got {}", expected, describe(*node)));
  if (array->empty()) objective.fail("command", fmt::format("{}, got an empty array", expected));
  std::vector<std::string> argv;
  for (const auto& element : *array) {
    const auto* text = element.as_string();
    if (!text) objective.fail_at(element, "command", fmt::format("{}, got {}", expected, describe(element)));
    bool expanded = false;
    argv.push_back(expand_study_dir(text->get(), base_dir, expanded));
    if (expanded && space.index_of("study_dir"))
      objective.fail_at(element, "command",
                        "placeholder {study_dir} is ambiguous: it is both a parameter and a built-in "
                        "name; rename the parameter");
  }
  if (auto problem = check_argv_template(argv, space); !problem.empty()) {
    // Point at the first element that fails on its own; the message names it too.
    for (std::size_t i = 0; i < argv.size(); ++i) {
      if (!check_argv_template({argv[i]}, space).empty()) objective.fail_at(*array->get(i), "command", problem);
    }
    objective.fail("command", problem);
  }
  return argv;
}

// The program must exist now rather than fail every trial later (unless `must_exist` is
// false: the study is read by a tool that never runs it). A relative path with a slash is
// taken relative to the study file and made absolute, because each trial runs in its own
// directory; a bare name is looked up on PATH (and kept bare, as execvp does).
void check_program(const Section& objective, const std::filesystem::path& base_dir, std::string& program,
                   bool must_exist) {
  if (program.find('{') != std::string::npos) return;  // chosen per trial: cannot check now
  const auto* element = objective.find("command")->as_array()->get(0);
  if (program.find('/') == std::string::npos) {
    if (must_exist && find_executable(program).empty()) {
      objective.fail_at(*element, "command", fmt::format("program '{}' not found on PATH", program));
    }
    return;
  }
  std::filesystem::path path(program);
  if (path.is_relative()) path = (base_dir / path).lexically_normal();
  if (must_exist && find_executable(path.string()).empty()) {
    objective.fail_at(*element, "command",
                      fmt::format("program '{}' not found or not executable (looked for {})", program,
                                  path.string()));
  }
  program = path.string();
}

std::vector<std::string> read_env(const Section& objective) {
  std::vector<std::string> env;
  const auto table = objective.subtable("env");
  if (!table) return env;
  for (const auto& entry : table->entries()) {
    const std::string name(entry.key->str());
    if (name.empty() || name.find('=') != std::string::npos) {
      table->file().fail(entry.key->source(), table->key_path(name),
                         "an environment variable name must be non-empty and contain no '='");
    }
    if (name.rfind("H5TUNE_", 0) == 0) {
      table->file().fail(entry.key->source(), table->key_path(name),
                         fmt::format("'{}' is set by h5tune for each trial and cannot be overridden", name));
    }
    const auto value = table->text(name);
    env.push_back(fmt::format("{}={}", name, *value));
  }
  return env;
}

RegexMetric read_regex_metric(const Section& metric, const std::string& name) {
  metric.allow_only({"regex"});
  const auto pattern = metric.text("regex");
  if (!pattern) {
    metric.fail_missing("regex", "missing; expected regex = 'pattern with one (capture group) around the number'");
  }
  // std::regex compiles by recursion, one level per nested group: a pattern of 100,000
  // parentheses overflowed the stack. A metric's pattern is a short line of text.
  constexpr std::size_t max_pattern = 1000;
  if (pattern->size() > max_pattern) {
    metric.fail("regex", fmt::format("the pattern of metric '{}' has {} characters; at most {} are allowed", name,
                                     pattern->size(), max_pattern));
  }
  if (const auto problem = regex_number_problem(*pattern); !problem.empty())
    metric.fail("regex", fmt::format("the pattern of metric '{}': {}", name, problem));
  try {
    const std::regex compiled(*pattern);
    if (compiled.mark_count() < 1) {
      metric.fail("regex", fmt::format("the pattern of metric '{}' needs a capture group around the number, "
                                       "e.g. 'loss: ([0-9.eE+-]+)'",
                                       name));
    }
  } catch (const std::regex_error& e) {
    metric.fail("regex", fmt::format("not a valid ECMAScript regular expression: {}", e.what()));
  }
  return {name, *pattern};
}

std::vector<RegexMetric> read_metrics(const Section& objective) {
  std::vector<RegexMetric> metrics;
  const auto table = objective.subtable("metrics");
  if (!table) return metrics;
  for (const auto& entry : table->entries()) {
    const std::string name(entry.key->str());
    if (auto problem = check_metric_name(name); !problem.empty()) {
      table->file().fail(entry.key->source(), table->key_path(name), problem);
    }
    const auto* metric = entry.value->as_table();
    if (!metric) {
      table->fail(name, fmt::format("expected a metric table such as {{ regex = 'loss: ([0-9.eE+-]+)' }}, got {}",
                                    describe(*entry.value)));
    }
    metrics.push_back(read_regex_metric(Section(*metric, table->key_path(name), table->file()), name));
  }
  return metrics;
}

}  // namespace

CommandSpec read_objective_table(const Section& objective, const Space& space,
                                 const std::filesystem::path& base_dir,
                                 const std::filesystem::path& default_trials_dir, bool find_program) {
  objective.allow_only({"command", "timeout", "kill_grace", "workdir", "env", "metrics", "stderr_tail_bytes"});
  CommandSpec spec;
  spec.argv = read_argv(objective, space, base_dir);
  check_program(objective, base_dir, spec.argv.front(), find_program);
  if (auto timeout = objective.duration("timeout", /*allow_zero=*/false)) {
    // A positive limit must stay positive: zero means "no limit" to CommandSpec.
    spec.timeout = std::max(to_milliseconds(*timeout), std::chrono::milliseconds(1));
  }
  if (auto grace = objective.duration("kill_grace", /*allow_zero=*/true)) spec.kill_grace = to_milliseconds(*grace);
  if (auto workdir = objective.nonempty_text("workdir")) {
    spec.trials_dir = (base_dir / *workdir).lexically_normal();
  } else {
    spec.trials_dir = default_trials_dir;
  }
  spec.env = read_env(objective);
  spec.regex_metrics = read_metrics(objective);
  if (auto tail = objective.integer("stderr_tail_bytes", 0)) spec.stderr_tail_bytes = static_cast<std::size_t>(*tail);
  return spec;
}

}  // namespace h5tune::config
