#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace h5tune {

/// The kind of one hyperparameter.
enum class ParamKind : unsigned char {
  real,         ///< a float in [low, high], optionally log-scaled
  integer,      ///< an integer in [low, high] (both included), optionally log-scaled
  categorical,  ///< one of a list of choices (stored as its index)
};

/// "float", "int" or "choice": the names the study file uses.
std::string_view to_string(ParamKind kind) noexcept;

/// One hyperparameter: its name, kind and range. Values of every kind travel as doubles:
/// floats as themselves, integers exactly (|v| < 2^53), categoricals as the choice index.
struct Parameter {
  std::string name;
  ParamKind kind = ParamKind::real;
  double low = 0.0;   ///< lower bound (real, integer; 0 for categorical)
  double high = 1.0;  ///< upper bound, included (real, integer; last index for categorical)
  bool log = false;   ///< sample uniformly in log(value) (requires low > 0)
  std::vector<std::string> choices;  ///< categorical choices, in order

  /// Number of distinct values: 0 for a real parameter (a continuum).
  std::size_t cardinality() const noexcept;
};

/// A search space: an ordered list of named parameters, and the map between parameter
/// values and the unit cube [0,1)^d that strategies work in.
///
/// Unit-cube encoding (as Optuna's and scikit-optimize's): a real maps linearly (or in
/// log space); an integer v in [low, high] owns the slice [v-0.5, v+0.5] of the widened
/// range, so every integer is equally likely under uniform sampling; a categorical with n
/// choices owns [i/n, (i+1)/n).
class Space {
 public:
  /// Add a float parameter in [low, high]. Throws SpaceError when low >= high, a bound is
  /// not finite, high - low overflows, log is set and low <= 0, or the name is empty, taken
  /// or contains '/', '{', '}', spaces or control characters (names become HDF5 dataset
  /// names and command-template fields).
  Space& add_float(std::string name, double low, double high, bool log = false);
  /// Add an integer parameter in [low, high], both included. Same checks as add_float (so a
  /// single-value range is an error), and the bounds must lie within +-2^53.
  Space& add_int(std::string name, long long low, long long high, bool log = false);
  /// Add a categorical parameter. Throws SpaceError for an empty or duplicated choice list.
  Space& add_choice(std::string name, std::vector<std::string> choices);

  const std::vector<Parameter>& parameters() const noexcept { return params_; }
  const Parameter& operator[](std::size_t i) const { return params_.at(i); }
  std::size_t size() const noexcept { return params_.size(); }
  bool empty() const noexcept { return params_.empty(); }
  /// Index of the parameter called `name`, if there is one.
  std::optional<std::size_t> index_of(std::string_view name) const noexcept;

  /// The value of parameter i at unit coordinate u in [0, 1] (clamped; NaN counts as 0).
  /// Never outside the parameter's bounds.
  double from_unit(std::size_t i, double u) const;
  /// The unit coordinate of a value of parameter i (centre of its slice for discrete kinds).
  double to_unit(std::size_t i, double value) const;
  /// Decode a whole point of the unit cube into parameter values. Throws Error when the
  /// point does not have one coordinate per parameter (as does the inverse below).
  std::vector<double> from_unit(std::span<const double> unit) const;
  /// Encode a whole point of parameter values into the unit cube.
  std::vector<double> to_unit(std::span<const double> values) const;

  /// True when `values` has one in-range value per parameter (integers integral,
  /// categorical indices valid).
  bool contains(std::span<const double> values) const noexcept;
  /// Why `value` is not a value of parameter i ("outside [low, high]", "not an integer",
  /// ...), or an empty string when it is one; the single-value check behind contains().
  std::string why_invalid(std::size_t i, double value) const;
  /// Text of a value as a user writes it: "0.001", "3", "relu". Reals print with the
  /// shortest representation that reads back to the same double.
  std::string format(std::size_t i, double value) const;
  /// Parse text back into a value of parameter i (a number, or a choice name). Throws
  /// SpaceError naming the parameter when the text is not a valid value.
  double parse(std::size_t i, std::string_view text) const;

 private:
  Parameter& add(Parameter p);
  std::vector<Parameter> params_;
};

}  // namespace h5tune
