#include "config/duration.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace h5tune::config {
namespace {

// Seconds per unit; the longest unit name is tried first so "ms" is not read as "m".
std::optional<double> unit_seconds(std::string_view text, std::size_t& pos) {
  struct Unit {
    std::string_view name;
    double seconds;
  };
  static constexpr Unit units[] = {{"ms", 1e-3}, {"s", 1.0}, {"m", 60.0}, {"h", 3600.0}, {"d", 86400.0}};
  for (const auto& unit : units) {
    if (text.substr(pos, unit.name.size()) == unit.name) {
      pos += unit.name.size();
      return unit.seconds;
    }
  }
  return std::nullopt;
}

bool is_number_char(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.'; }

void skip_spaces(std::string_view text, std::size_t& pos) {
  while (pos < text.size() && text[pos] == ' ') ++pos;
}

}  // namespace

std::optional<double> parse_duration_seconds(std::string_view text) {
  double total = 0.0;
  std::size_t pos = 0;
  int parts = 0;
  skip_spaces(text, pos);
  while (pos < text.size()) {
    const std::size_t start = pos;
    while (pos < text.size() && is_number_char(text[pos])) ++pos;
    if (pos == start) return std::nullopt;
    double value = 0.0;
    const auto* first = text.data() + start;
    const auto* last = text.data() + pos;
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc{} || end != last) return std::nullopt;
    const auto seconds = unit_seconds(text, pos);
    if (!seconds) return std::nullopt;
    total += value * *seconds;
    ++parts;
    skip_spaces(text, pos);
  }
  if (parts == 0 || !std::isfinite(total)) return std::nullopt;
  return total;
}

}  // namespace h5tune::config
