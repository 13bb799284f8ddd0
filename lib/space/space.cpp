// Building and checking a Space: parameter validation, lookup and membership.
#include "h5tune/space.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "h5tune/error.hpp"

namespace h5tune {
namespace {

// Integers travel as doubles, which hold every integer exactly only up to 2^53.
constexpr long long max_exact_integer = 1LL << 53;

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw SpaceError(fmt::format("parameter '{}': {}", name, what));
}

// Names become HDF5 dataset names (no '/') and command-template fields ({name}), so
// those characters, spaces and control characters would break a study later on.
void check_name(const std::string& name) {
  if (name.empty()) throw SpaceError("a parameter name must not be empty");
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '/' || c == '{' || c == '}' || byte <= 0x20 || byte == 0x7f)
      fail(name, "the name may not contain '/', '{', '}', spaces or control characters");
  }
}

void check_range(const Parameter& p) {
  if (!std::isfinite(p.low) || !std::isfinite(p.high))
    fail(p.name, fmt::format("bounds must be finite, got [{}, {}]", p.low, p.high));
  if (!(p.low < p.high))
    fail(p.name, fmt::format("low must be less than high, got [{}, {}]", p.low, p.high));
  if (!std::isfinite(p.high - p.low))
    fail(p.name, fmt::format("range [{}, {}] is too wide: high - low overflows a double", p.low,
                             p.high));
  if (p.log && !(p.low > 0.0))
    fail(p.name, fmt::format("log-scaled range must be positive, got [{}, {}]", p.low, p.high));
}

}  // namespace

std::string_view to_string(ParamKind kind) noexcept {
  switch (kind) {
    case ParamKind::real: return "float";
    case ParamKind::integer: return "int";
    case ParamKind::categorical: return "choice";
  }
  return "unknown";
}

std::size_t Parameter::cardinality() const noexcept {
  switch (kind) {
    case ParamKind::real: return 0;
    case ParamKind::integer: return static_cast<std::size_t>(high - low) + 1;
    case ParamKind::categorical: return choices.size();
  }
  return 0;
}

Space& Space::add_float(std::string name, double low, double high, bool log) {
  Parameter p;
  p.name = std::move(name);
  p.kind = ParamKind::real;
  p.low = low;
  p.high = high;
  p.log = log;
  check_range(p);
  add(std::move(p));
  return *this;
}

Space& Space::add_int(std::string name, long long low, long long high, bool log) {
  if (low < -max_exact_integer || high > max_exact_integer)
    fail(name, fmt::format("integer bounds must lie within +-2^53 ({}), got [{}, {}]",
                           max_exact_integer, low, high));
  Parameter p;
  p.name = std::move(name);
  p.kind = ParamKind::integer;
  p.low = static_cast<double>(low);
  p.high = static_cast<double>(high);
  p.log = log;
  check_range(p);
  add(std::move(p));
  return *this;
}

Space& Space::add_choice(std::string name, std::vector<std::string> choices) {
  if (choices.empty()) fail(name, "needs at least one choice");
  std::unordered_set<std::string_view> seen;
  for (const auto& c : choices)
    if (!seen.insert(c).second) fail(name, fmt::format("choice '{}' appears more than once", c));
  Parameter p;
  p.name = std::move(name);
  p.kind = ParamKind::categorical;
  p.low = 0.0;
  p.high = static_cast<double>(choices.size() - 1);
  p.choices = std::move(choices);
  add(std::move(p));
  return *this;
}

Parameter& Space::add(Parameter p) {
  check_name(p.name);
  if (index_of(p.name)) fail(p.name, "is defined more than once");
  params_.push_back(std::move(p));
  return params_.back();
}

std::optional<std::size_t> Space::index_of(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (params_[i].name == name) return i;
  return std::nullopt;
}

bool Space::contains(std::span<const double> values) const noexcept {
  if (values.size() != params_.size()) return false;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Parameter& p = params_[i];
    const double v = values[i];
    if (!(v >= p.low && v <= p.high)) return false;  // also rejects NaN
    if (p.kind != ParamKind::real && v != std::floor(v)) return false;
  }
  return true;
}

}  // namespace h5tune
