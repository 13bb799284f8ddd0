#pragma once
// The row of /trials/params for a given Space: one field per parameter, named as the
// parameter, in a type tools show naturally (float -> float64, int -> int64,
// categorical -> the choice text as a fixed-length string).
#include <cstddef>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "h5tune/space.hpp"
#include "log/dynamic_compound.hpp"

namespace h5tune::logfmt {

/// Stored in an int parameter's field when the trial has no (finite) value for it.
inline constexpr std::int64_t missing_int = INT64_MIN;

/// Encodes parameter values (doubles in Space order, categoricals as indices) into rows
/// of /trials/params and back.
class ParamsLayout {
 public:
  /// `choice_sizes` (optional, one per parameter) sets the byte size of categorical
  /// fields; by default each is the longest choice of its parameter.
  explicit ParamsLayout(const Space& space, std::vector<std::size_t> choice_sizes = {});

  bool empty() const noexcept { return fields_.empty(); }
  std::size_t row_size() const noexcept { return compound_.row_size(); }
  hdf5::Datatype type() const { return compound_.type(); }

  /// Write one row. `values` empty: the unwritten row (NaN, missing_int, ""). Throws
  /// LogError when `values` has the wrong length.
  void encode(std::span<const double> values, std::byte* row) const;
  /// The values of one row; a categorical text that is no choice decodes to NaN.
  std::vector<double> decode(const std::byte* row) const;

 private:
  struct Field {
    ParamKind kind;
    std::size_t offset;
    std::size_t size;  // bytes of a categorical text field
    std::vector<std::string> choices;
    std::unordered_map<std::string, double> index_of_choice;
  };
  std::vector<Field> fields_;
  hdf5::DynamicCompound compound_;
};

}  // namespace h5tune::logfmt
