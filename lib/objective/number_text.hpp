#pragma once
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace h5tune::objective_detail {

/// A whole token as a double via std::from_chars (locale-independent; "nan", "inf" and a
/// leading '+' accepted). nullopt when any character is left over.
inline std::optional<double> parse_number(std::string_view text) noexcept {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace h5tune::objective_detail
