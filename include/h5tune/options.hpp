#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace h5tune {

/// A value of a strategy option as written in a study file.
using OptionValue = std::variant<bool, std::int64_t, double, std::string>;

/// The type an option accepts; an integer is accepted where a float is expected.
enum class OptionType : unsigned char { boolean, integer, real, text };
std::string_view to_string(OptionType type) noexcept;

/// What one option of a strategy means: the study-file reference and the config checks
/// are both generated from these, so they cannot disagree with the code.
struct OptionSpec {
  std::string name;
  OptionType type = OptionType::real;
  OptionValue default_value;
  std::string description;
  double min = -1e308;  ///< inclusive bounds for numbers
  double max = 1e308;
};

/// The options a study gave one component, checked against its OptionSpecs.
class Options {
 public:
  void set(std::string name, OptionValue value) { values_[std::move(name)] = std::move(value); }
  bool contains(std::string_view name) const { return values_.find(name) != values_.end(); }
  const std::map<std::string, OptionValue, std::less<>>& values() const noexcept { return values_; }

  bool get_bool(std::string_view name, bool fallback) const;
  std::int64_t get_int(std::string_view name, std::int64_t fallback) const;
  double get_real(std::string_view name, double fallback) const;
  std::string get_text(std::string_view name, std::string fallback) const;

  /// The checked value or the spec's default.
  bool get_bool(const OptionSpec& spec) const;
  std::int64_t get_int(const OptionSpec& spec) const;
  double get_real(const OptionSpec& spec) const;
  std::string get_text(const OptionSpec& spec) const;

  friend bool operator==(const Options&, const Options&) = default;

 private:
  std::map<std::string, OptionValue, std::less<>> values_;
};

/// Checks `value` against `spec` (type, bounds) and returns it converted to the spec's type
/// (an integer becomes a double for a real option). On mismatch returns an explanation in
/// `error` and the spec's default.
OptionValue check_option(const OptionSpec& spec, const OptionValue& value, std::string& error);

}  // namespace h5tune
