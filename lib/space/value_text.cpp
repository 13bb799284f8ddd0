// Parameter values as text, as a user writes them: format() and its inverse parse().
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>

#include "h5tune/error.hpp"
#include "h5tune/space.hpp"

namespace h5tune {
namespace {

[[noreturn]] void bad_value(const Parameter& p, std::string_view text, std::string_view expected) {
  throw SpaceError(fmt::format("parameter '{}': '{}' is not {}", p.name, text, expected));
}

std::string_view trim(std::string_view s) noexcept {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// from_chars rejects a leading '+', which people (and printf("%+g")) write.
std::string_view drop_plus(std::string_view s) noexcept {
  return s.size() > 1 && s.front() == '+' && s[1] != '-' ? s.substr(1) : s;
}

// A whole-string number, or nothing.
template <class T>
std::optional<T> read_number(std::string_view s) noexcept {
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::string format_real(double value) {
  std::array<char, 32> buf{};  // the longest shortest-form double is 24 characters
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return std::string(buf.data(), result.ptr);
}

}  // namespace

std::string Space::format(std::size_t i, double value) const {
  const Parameter& p = params_.at(i);
  switch (p.kind) {
    case ParamKind::real:
      return format_real(value);
    case ParamKind::integer:
      if (!std::isfinite(value) || value != std::floor(value) || std::fabs(value) >= 0x1.0p63)
        throw SpaceError(
            fmt::format("parameter '{}': {} is not an integer", p.name, format_real(value)));
      return fmt::format("{}", static_cast<long long>(value));
    case ParamKind::categorical: {
      if (!(value >= 0.0 && value < static_cast<double>(p.choices.size())) ||
          value != std::floor(value))
        throw SpaceError(fmt::format("parameter '{}': {} is not a choice index (0..{})", p.name,
                                     format_real(value), p.choices.size() - 1));
      return p.choices[static_cast<std::size_t>(value)];
    }
  }
  return format_real(value);
}

double Space::parse(std::size_t i, std::string_view text) const {
  const Parameter& p = params_.at(i);
  if (p.kind == ParamKind::categorical) {
    for (std::size_t c = 0; c < p.choices.size(); ++c)
      if (p.choices[c] == text) return static_cast<double>(c);
    bad_value(p, text, fmt::format("one of the choices [{}]", fmt::join(p.choices, ", ")));
  }
  const std::string_view number = drop_plus(trim(text));
  const auto range = fmt::format("[{}, {}]", format_real(p.low), format_real(p.high));
  double value = 0.0;
  if (p.kind == ParamKind::integer) {
    // Also accept an integral value written as a real ("3.0", "1e3").
    if (const auto n = read_number<long long>(number)) {
      value = static_cast<double>(*n);
    } else if (const auto x = read_number<double>(number); x && *x == std::floor(*x)) {
      value = *x;
    } else {
      bad_value(p, text, "an integer");
    }
  } else {
    const auto x = read_number<double>(number);
    if (!x || std::isnan(*x)) bad_value(p, text, "a number");
    value = *x;
  }
  if (!(value >= p.low && value <= p.high)) bad_value(p, text, "in the range " + range);
  return value;
}

std::string Space::why_invalid(std::size_t i, double value) const {
  const Parameter& p = params_.at(i);
  if (p.kind == ParamKind::categorical) {
    if (value >= 0.0 && value <= p.high && value == std::floor(value)) return {};
    return fmt::format("{} is not a choice index (0..{})", format_real(value), p.choices.size() - 1);
  }
  if (std::isnan(value)) return "expected a number, got NaN";
  if (!(value >= p.low && value <= p.high))
    return fmt::format("{} is outside the range [{}, {}]", format_real(value), format_real(p.low), format_real(p.high));
  if (p.kind == ParamKind::integer && value != std::floor(value))
    return fmt::format("{} is not an integer", format_real(value));
  return {};
}

}  // namespace h5tune
