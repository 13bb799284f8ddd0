#include "h5tune/metric_line.hpp"

#include "objective/number_text.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace h5tune {
namespace {

using objective_detail::parse_number;

constexpr std::string_view prefix = "h5tune:";
// Longer lines are output, not protocol: a program that prints megabytes on one line is
// not talking to us, and scanning it would cost time for nothing.
constexpr std::size_t max_protocol_line = 64 * 1024;

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
bool is_name_start(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) noexcept {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/// Reads the text at `pos` up to the next whitespace (or '=' when `stop_at_equals`).
std::string_view take_token(std::string_view line, std::size_t& pos, bool stop_at_equals) {
  const std::size_t begin = pos;
  while (pos < line.size() && !is_space(line[pos]) && !(stop_at_equals && line[pos] == '='))
    ++pos;
  return line.substr(begin, pos - begin);
}

void skip_space(std::string_view line, std::size_t& pos) {
  while (pos < line.size() && is_space(line[pos])) ++pos;
}

bool valid_name(std::string_view name) noexcept {
  if (name.empty() || !is_name_start(name.front())) return false;
  for (char c : name)
    if (!is_name_char(c)) return false;
  return true;
}

/// Steps are integers; "3.0" (as Python prints a float step) is accepted too.
std::optional<std::int64_t> parse_step(std::string_view text) noexcept {
  std::int64_t step = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), step);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return step;
  const auto number = parse_number(text);
  if (number && std::isfinite(*number) && std::trunc(*number) == *number &&
      std::fabs(*number) < 9.0e15)
    return static_cast<std::int64_t>(*number);
  return std::nullopt;
}

void add_error(std::string* error, const std::string& what) {
  if (error == nullptr) return;
  if (!error->empty()) *error += "; ";
  *error += what;
}

void set_metric(Metrics& metrics, std::string_view name, double value) {
  for (auto& m : metrics)
    if (m.name == name) {
      m.value = value;
      return;
    }
  metrics.push_back({std::string(name), value});
}

}  // namespace

std::optional<MetricLine> parse_metric_line(std::string_view line, std::string* error) {
  if (error != nullptr) error->clear();
  std::size_t pos = 0;
  skip_space(line, pos);
  if (line.substr(pos, prefix.size()) != prefix) return std::nullopt;
  if (line.size() > max_protocol_line) {
    add_error(error, "protocol line longer than 64 KiB ignored");
    return std::nullopt;
  }
  pos += prefix.size();

  MetricLine result;
  bool bad_step = false;
  for (skip_space(line, pos); pos < line.size(); skip_space(line, pos)) {
    const std::string_view name = take_token(line, pos, true);
    skip_space(line, pos);
    if (pos >= line.size() || line[pos] != '=') {
      add_error(error, "'" + std::string(name) + "' is not a name=value pair");
      continue;
    }
    ++pos;  // '='
    skip_space(line, pos);
    const std::string_view text = take_token(line, pos, false);
    if (!valid_name(name)) {
      add_error(error, "'" + std::string(name) + "' is not a valid metric name");
    } else if (name == "step") {
      if (const auto step = parse_step(text)) {
        result.step = *step;
      } else {
        bad_step = true;
        add_error(error, "step '" + std::string(text) + "' is not an integer");
      }
    } else if (const auto value = parse_number(text)) {
      set_metric(result.metrics, name, *value);
    } else {
      add_error(error, "value of '" + std::string(name) + "' is not a number: '" +
                           std::string(text) + "'");
    }
  }
  // Without its step, an intermediate report would be mistaken for final metrics.
  if (bad_step) {
    result.step.reset();
    result.metrics.clear();
  }
  return result;
}

}  // namespace h5tune
