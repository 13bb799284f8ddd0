#include "cli_errors.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <regex>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::cli {
namespace {

bool is_number(const std::string& text) {
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

// A bound of a range check: CLI11 writes a float bound with std::to_string ("0.100000"),
// the help text the shortest form ("0.1"), which the message keeps too. Integer bounds
// stay as written (a double would round those beyond 2^53).
std::string bound_text(const std::string& bound) {
  if (bound.find('.') == std::string::npos || !is_number(bound)) return bound;
  return fmt::format("{}", std::strtod(bound.c_str(), nullptr));
}

}  // namespace

int guarded(const std::function<int()>& body, bool print) {
  try {
    return body();
  } catch (const InputError& e) {
    if (print) std::cerr << "h5tune: error: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const std::exception& e) {
    if (print) std::cerr << "h5tune: error: " << e.what() << '\n';
    return exit_failure;
  }
}

std::string command_line_error(const std::string& what, const std::vector<std::string>& args,
                               const std::vector<std::string>& subcommands) {
  std::string names;
  for (const auto& name : subcommands) names += (names.empty() ? "" : ", ") + name;
  if (args.empty()) return fmt::format("a subcommand is required: one of {}", names);
  const std::string& first = args.front();
  if (!first.starts_with('-') && std::find(subcommands.begin(), subcommands.end(), first) == subcommands.end())
    return fmt::format("unknown subcommand '{}'; expected one of {}", first, names);
  // A range check: CLI11 prints the bounds (NonNegativeNumber and PositiveNumber up to
  // DBL_MAX, in full) and says "not in range" even for a value that is not a number.
  static const std::regex range(R"((.*)Value (.+) not in range (\S+) to (\S+))");
  // A value the option's type cannot hold: CLI11 says only "Could not convert".
  static const std::regex conversion(R"(Could not convert: (\S+) = (.+))");
  std::smatch match;
  if (std::regex_match(what, match, range)) {
    const std::string prefix = match[1], value = match[2], high = match[4];
    if (!is_number(value)) return fmt::format("{}'{}' is not a number", prefix, value);
    if (high.size() < 30)
      return fmt::format("{}{} is out of range: it must be in [{}, {}]", prefix, value, bound_text(match[3]), bound_text(high));
    return fmt::format("{}{} is out of range: {}", prefix, value,
                       std::strtod(value.c_str(), nullptr) < 0 ? "it must not be negative" : "it must be above 0");
  }
  if (std::regex_match(what, match, conversion)) {
    const std::string option = match[1], value = match[2];
    if (!is_number(value)) return fmt::format("{}: '{}' is not a number", option, value);
    return fmt::format("{}: {} is outside what this option can hold (too large, or not a whole number)", option, value);
  }
  return what;
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code error;
  if (std::filesystem::equivalent(a, b, error) && !error) return true;
  // Not both there yet (a log about to be created): the same path once links are resolved.
  const auto canonical_a = std::filesystem::weakly_canonical(a, error);
  if (error) return false;
  const auto canonical_b = std::filesystem::weakly_canonical(b, error);
  return !error && canonical_a == canonical_b;
}

const CLI::Validator finite_number(
    [](std::string& input) {
      double value = 0;
      if (CLI::detail::lexical_cast(input, value) && !std::isfinite(value))
        return fmt::format("{} is not a finite number", input);
      return std::string();
    },
    "");

}  // namespace h5tune::cli
