#include "h5tune/options.hpp"

#include <fmt/format.h>

#include "core/float_text.hpp"
#include "h5tune/error.hpp"

namespace h5tune {

std::string_view to_string(OptionType type) noexcept {
  switch (type) {
    case OptionType::boolean: return "a boolean";
    case OptionType::integer: return "an integer";
    case OptionType::real: return "a number";
    case OptionType::text: return "a string";
  }
  return "a value";
}

namespace {
template <class T>
const T* find(const std::map<std::string, OptionValue, std::less<>>& values, std::string_view name) {
  auto it = values.find(name);
  if (it == values.end()) return nullptr;
  return std::get_if<T>(&it->second);
}
}  // namespace

bool Options::get_bool(std::string_view name, bool fallback) const {
  const auto* v = find<bool>(values_, name);
  return v ? *v : fallback;
}
std::int64_t Options::get_int(std::string_view name, std::int64_t fallback) const {
  const auto* v = find<std::int64_t>(values_, name);
  return v ? *v : fallback;
}
double Options::get_real(std::string_view name, double fallback) const {
  if (const auto* v = find<double>(values_, name)) return *v;
  if (const auto* i = find<std::int64_t>(values_, name)) return static_cast<double>(*i);
  return fallback;
}
std::string Options::get_text(std::string_view name, std::string fallback) const {
  const auto* v = find<std::string>(values_, name);
  return v ? *v : fallback;
}

bool Options::get_bool(const OptionSpec& spec) const {
  return get_bool(spec.name, std::get<bool>(spec.default_value));
}
std::int64_t Options::get_int(const OptionSpec& spec) const {
  return get_int(spec.name, std::get<std::int64_t>(spec.default_value));
}
double Options::get_real(const OptionSpec& spec) const {
  const auto& d = spec.default_value;
  const double fallback = std::holds_alternative<double>(d) ? std::get<double>(d)
                                                            : static_cast<double>(std::get<std::int64_t>(d));
  return get_real(spec.name, fallback);
}
std::string Options::get_text(const OptionSpec& spec) const {
  return get_text(spec.name, std::get<std::string>(spec.default_value));
}

OptionValue check_option(const OptionSpec& spec, const OptionValue& value, std::string& error) {
  error.clear();
  auto out_of_range = [&](double x, bool given_as_float) {
    // Written so that NaN, which compares false with everything, is out of range too.
    if (!(x >= spec.min && x <= spec.max)) {
      error = fmt::format("must be in [{}, {}], got {}", spec.min, spec.max,
                          given_as_float ? float_text(x) : fmt::format("{}", x));
      return true;
    }
    return false;
  };
  switch (spec.type) {
    case OptionType::boolean:
      if (std::holds_alternative<bool>(value)) return value;
      break;
    case OptionType::integer:
      if (const auto* i = std::get_if<std::int64_t>(&value)) {
        if (out_of_range(static_cast<double>(*i), false)) return spec.default_value;
        return value;
      }
      break;
    case OptionType::real:
      if (const auto* i = std::get_if<std::int64_t>(&value)) {
        if (out_of_range(static_cast<double>(*i), false)) return spec.default_value;
        return static_cast<double>(*i);
      }
      if (const auto* d = std::get_if<double>(&value)) {
        if (out_of_range(*d, true)) return spec.default_value;
        return value;
      }
      break;
    case OptionType::text:
      if (std::holds_alternative<std::string>(value)) return value;
      break;
  }
  error = fmt::format("expected {}", to_string(spec.type));
  return spec.default_value;
}

}  // namespace h5tune
