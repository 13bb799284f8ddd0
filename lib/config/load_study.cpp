#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "config/sections.hpp"
#include "h5tune/config.hpp"
#include "h5tune/error.hpp"

namespace h5tune {
namespace {

constexpr std::string_view top_level_tables[] = {"study", "strategy", "stopping", "objective", "space"};

toml::table parse_toml(std::string_view text, const config::SourceFile& file) {
  try {
    return toml::parse(text, file.name());
  } catch (const toml::parse_error& e) {
    file.fail(e.source(), "", fmt::format("TOML syntax error: {}", e.description()));
  }
}

// Every top-level key must be one of the known tables, and be a table (the [[enqueue]]
// array of tables checks itself).
void check_top_level(const config::Section& root) {
  for (const auto& entry : root.entries()) {
    const auto name = entry.key->str();
    if (name == "enqueue") continue;
    const bool known = std::find(std::begin(top_level_tables), std::end(top_level_tables), name) !=
                       std::end(top_level_tables);
    if (!known) {
      root.file().fail(entry.key->source(), std::string(name),
                       fmt::format("unknown top-level {} '{}'; expected the tables [study], [strategy], "
                                   "[stopping], [objective], [space] and [[enqueue]]",
                                   entry.value->is_table() ? "table" : "key", name));
    }
    if (!entry.value->is_table()) {
      root.file().fail(entry.key->source(), std::string(name),
                       fmt::format("expected a table [{}], got {}", name, config::describe(*entry.value)));
    }
  }
}

config::Section required_table(const config::Section& root, std::string_view name, const std::string& hint) {
  auto table = root.subtable(name);
  if (!table) root.file().fail(std::string(name), fmt::format("missing table [{}]; {}", name, hint));
  return *table;
}

}  // namespace

StudyConfig parse_study(std::string_view text, const std::filesystem::path& path, const LoadOptions& options) {
  const config::SourceFile file(path.empty() ? std::string("<study>") : path.string());
  const std::filesystem::path base_dir =
      path.empty() ? std::filesystem::current_path() : std::filesystem::absolute(path).parent_path();
  const std::string default_name = path.empty() ? std::string("study") : path.stem().string();

  const toml::table document = parse_toml(text, file);
  const config::Section root(document, "", file);
  check_top_level(root);

  StudyConfig config;
  config.source_path = path;
  config.source_text = std::string(text);
  const config::Section study =
      required_table(root, "study", "it needs at least direction = \"minimize\" or \"maximize\"");
  config::read_study_table(study, default_name, base_dir, config);
  // `h5tune run --force` replaces the log: a log path naming this very file would destroy
  // the study (the error for an existing log even suggests --force).
  std::error_code not_same;
  if (!path.empty() && std::filesystem::equivalent(config.log, path, not_same) && !not_same) {
    const std::string what = fmt::format("the log {} is the study file itself; name another file", config.log.string());
    if (study.find("log")) study.fail("log", what);
    file.fail("study.log", what);
  }
  config.space = config::read_space_table(
      required_table(root, "space", "add parameters such as lr = { float = [1e-5, 1e-1], log = true }"));
  if (auto strategy = root.subtable("strategy")) config.strategy = config::read_strategy_table(*strategy, config.space);
  if (auto stopping = root.subtable("stopping")) config.stopping = config::read_stopping_table(*stopping);
  config.enqueued = config::read_enqueue_array(root, config.space);
  if (!config.enqueued.empty()) {
    const auto where = root.find("enqueue")->source();
    if (strategy_resumes_checkpoints(config.strategy.kind)) {
      file.fail(where, "enqueue",
                fmt::format("[[enqueue]] does not work with strategy '{}': its trials continue checkpoints of "
                            "configurations it chose itself",
                            config.strategy.kind));
    }
    if (static_cast<std::int64_t>(config.enqueued.size()) > config.max_trials) {
      file.fail(where, "enqueue",
                fmt::format("{} points are enqueued but study.max_trials is {}; raise max_trials or enqueue fewer",
                            config.enqueued.size(), config.max_trials));
    }
  }
  if (auto objective = root.subtable("objective")) {
    config.command =
        config::read_objective_table(*objective, config.space, base_dir, config.default_trials_dir(), options.find_program);
  }
  return config;
}

StudyConfig load_study(const std::filesystem::path& path, const LoadOptions& options) {
  if (path.empty()) throw InputError("the study file's path is empty: give a study file (TOML)");
  const auto cannot_read = [&](const std::string& why) {
    throw ConfigError(path.string(), 0, 0, "", fmt::format("cannot read study file: {}", why));
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) cannot_read("it is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) cannot_read(errno != 0 ? std::strerror(errno) : "cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) cannot_read("read error");
  return parse_study(text.str(), path, options);
}

}  // namespace h5tune
