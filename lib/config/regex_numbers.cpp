#include "config/regex_numbers.hpp"

#include <fmt/format.h>

#include <cctype>

namespace h5tune::config {
namespace {

constexpr std::size_t max_backreference_digits = 3;
constexpr std::size_t max_repetition_digits = 4;

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

/// Length of the run of digits starting at `from`.
std::size_t digits_at(std::string_view text, std::size_t from) {
  std::size_t end = from;
  while (end < text.size() && is_digit(text[end])) ++end;
  return end - from;
}

}  // namespace

std::string regex_number_problem(std::string_view pattern) {
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      const std::size_t n = digits_at(pattern, i + 1);
      if (!in_class && n > max_backreference_digits)
        return fmt::format("the back-reference \\{} has {} digits; at most {} are allowed",
                           pattern.substr(i + 1, n), n, max_backreference_digits);
      i += n > 0 ? n : 1;  // skip the escaped character
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // "[]...]": ']' first is literal
    } else if (c == '{') {
      for (std::size_t at = i + 1;;) {
        const std::size_t n = digits_at(pattern, at);
        if (n > max_repetition_digits)
          return fmt::format("the repetition count {} has {} digits; at most {} are allowed",
                             pattern.substr(at, n), n, max_repetition_digits);
        at += n;
        if (n == 0 || at >= pattern.size() || pattern[at] != ',') break;
        ++at;
      }
    }
  }
  return "";
}

}  // namespace h5tune::config
