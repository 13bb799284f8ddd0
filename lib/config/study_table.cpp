#include <fmt/format.h>

#include "config/sections.hpp"

namespace h5tune::config {

std::string check_metric_name(const std::string& name) {
  // The protocol-line grammar (metric_line.hpp), so a metric declared here can also be
  // printed by the program itself, and names stay usable as log column names.
  if (name.empty()) return "expected a non-empty metric name";
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  bool valid = letter(name.front());
  for (const char c : name) valid = valid && (letter(c) || digit(c) || c == '.' || c == '-');
  if (!valid) {
    return fmt::format("metric name '{}' must start with a letter or '_' and contain only letters, digits, "
                       "'_', '.' and '-' (as in a protocol line 'h5tune: val_loss=0.41')",
                       name);
  }
  return {};
}

namespace {

Direction read_direction(const Section& study) {
  const auto* node = study.find("direction");
  const char* expected = "expected 'minimize' or 'maximize'";
  if (!node) study.fail_missing("direction", fmt::format("missing; {}", expected));
  const auto* text = node->as_string();
  if (text && text->get() == "minimize") return Direction::minimize;
  if (text && text->get() == "maximize") return Direction::maximize;
  study.fail("direction", fmt::format("{}, got {}", expected, describe(*node)));
}

// `max_failures = 10` (a count) or `max_failures = 0.3` (a fraction of the finished trials).
std::optional<FailureLimit> read_failure_limit(const Section& study) {
  const auto* node = study.find("max_failures");
  if (!node) return std::nullopt;
  const char* expected = "expected a number of failed trials (an integer >= 0, e.g. 10) or a fraction of the finished "
                         "trials (a float between 0 and 1, e.g. 0.3)";
  FailureLimit limit;
  if (const auto* count = node->as_integer()) {
    if (count->get() < 0) study.fail("max_failures", fmt::format("{}, got {}", expected, describe(*node)));
    limit.count = count->get();
  } else if (const auto* fraction = node->as_floating_point()) {
    const double f = fraction->get();
    if (!(f > 0.0 && f < 1.0)) study.fail("max_failures", fmt::format("{}, got {}", expected, describe(*node)));
    limit.fraction = f;
  } else {
    study.fail("max_failures", fmt::format("{}, got {}", expected, describe(*node)));
  }
  return limit;
}

}  // namespace

void read_study_table(const Section& study, const std::string& default_name,
                      const std::filesystem::path& base_dir, StudyConfig& out) {
  study.allow_only({"name", "direction", "metric", "seed", "max_trials", "max_time", "log", "reproducible",
                     "max_retries", "max_failures"});

  out.name = study.nonempty_text("name").value_or(default_name);
  if (out.name.find('/') != std::string::npos) {
    study.fail("name", fmt::format("the study name '{}' cannot contain '/'", out.name));
  }
  out.direction = read_direction(study);
  if (auto metric = study.text("metric")) {
    if (auto problem = check_metric_name(*metric); !problem.empty()) study.fail("metric", problem);
    out.metric = std::move(*metric);
  }
  if (auto seed = study.integer("seed", 0)) out.seed = static_cast<std::uint64_t>(*seed);
  if (auto max_trials = study.integer("max_trials", 1)) out.max_trials = *max_trials;
  out.max_time = study.duration("max_time", /*allow_zero=*/false);
  const std::filesystem::path log = study.nonempty_text("log").value_or(out.name + ".h5");
  out.log = (base_dir / log).lexically_normal();
  if (auto reproducible = study.boolean("reproducible")) out.reproducible = *reproducible;
  if (auto retries = study.integer("max_retries", 0)) {
    if (*retries > 1000) study.fail("max_retries", fmt::format("expected at most 1000 re-runs of a failed trial, got {}", *retries));
    out.max_retries = static_cast<std::int32_t>(*retries);
  }
  out.max_failures = read_failure_limit(study);
}

}  // namespace h5tune::config
