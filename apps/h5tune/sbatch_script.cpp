#include "sbatch_script.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::cli {
namespace {

std::int64_t parse_count(std::string_view text, std::string_view whole) {
  std::int64_t value = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 0)
    throw InputError(fmt::format("--time {}: expected [D-]HH:MM:SS, e.g. 02:00:00 or 1-12:00:00", whole));
  return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

// Single quotes for bash: nothing inside is expanded.
std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// An #SBATCH line ends at whitespace and Slurm's quoting rules differ from the shell's:
// paths that need quoting are refused instead of guessed at.
std::string sbatch_path(const std::filesystem::path& path, std::string_view what) {
  const std::string text = path.string();
  const bool plain = std::none_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isspace(c) || c == '"' || c == '\'' || c == '\\' || std::iscntrl(c);
  });
  if (!plain)
    throw InputError(fmt::format("{} '{}' contains whitespace, quotes or backslashes, which #SBATCH lines cannot carry",
                                 what, text));
  return text;
}

void replace_all(std::string& text, std::string_view key, std::string_view value) {
  const std::string placeholder = fmt::format("{{{{{}}}}}", key);
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
    text.replace(at, placeholder.size(), value);
}

}  // namespace

std::int64_t parse_time_limit(std::string_view text) {
  std::int64_t days = 0;
  std::string_view clock = text;
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    days = parse_count(text.substr(0, dash), text);
    clock = text.substr(dash + 1);
  }
  const auto parts = split(clock, ':');
  if (parts.size() < 2 || parts.size() > 3)
    throw InputError(fmt::format("--time {}: expected [D-]HH:MM:SS, e.g. 02:00:00 or 1-12:00:00", text));
  std::int64_t seconds = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::int64_t value = parse_count(parts[i], text);
    if (i > 0 && value >= 60)
      throw InputError(fmt::format("--time {}: minutes and seconds must be below 60", text));
    seconds = seconds * 60 + value;
  }
  seconds += days * 86400;
  if (seconds <= 0) throw InputError(fmt::format("--time {}: the time limit must be positive", text));
  return seconds;
}

std::int64_t default_warning_seconds(std::int64_t limit_seconds) {
  const std::int64_t tenth = std::clamp<std::int64_t>(limit_seconds / 10, 60, 600);
  return std::max<std::int64_t>(1, std::min(tenth, limit_seconds / 2));
}

std::string job_name_for(std::string_view study_name) {
  std::string name = "h5tune-";
  for (char c : study_name) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    name += keep ? c : '_';
  }
  return name;
}

std::string render_sbatch(const SbatchJob& job) {
  std::string extra;
  if (job.partition) extra += fmt::format("#SBATCH --partition={}\n", sbatch_path(*job.partition, "--partition"));
  if (job.gpus_per_task) extra += fmt::format("#SBATCH --gpus-per-task={}\n", *job.gpus_per_task);

  std::string script(sbatch_template());
  replace_all(script, "job_name", job.job_name);
  replace_all(script, "nodes", std::to_string(job.nodes));
  replace_all(script, "ntasks_per_node", std::to_string(job.ntasks_per_node));
  // An explicit task count: --gpus-per-task needs one.
  replace_all(script, "ntasks", std::to_string(job.nodes * job.ntasks_per_node));
  replace_all(script, "time", job.time_limit);
  replace_all(script, "extra_sbatch_lines", extra);
  replace_all(script, "study_dir", sbatch_path(job.study.parent_path(), "the study directory"));
  replace_all(script, "output", sbatch_path(job.output, "the output file"));
  replace_all(script, "warning_seconds", std::to_string(job.warning_seconds));
  replace_all(script, "h5tune", shell_quote(job.h5tune.string()));
  replace_all(script, "study", shell_quote(job.study.string()));
  replace_all(script, "log", shell_quote(job.log.string()));
  replace_all(script, "max_requeues", std::to_string(job.max_requeues));
  return script;
}

}  // namespace h5tune::cli
