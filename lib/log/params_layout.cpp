#include "log/params_layout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "h5tune/error.hpp"
#include "log/log_schema.hpp"

namespace h5tune::logfmt {

ParamsLayout::ParamsLayout(const Space& space, std::vector<std::size_t> choice_sizes) {
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space[i];
    Field field{p.kind, 0, 0, p.choices, {}};
    switch (p.kind) {
      case ParamKind::real:
        field.offset = compound_.add(p.name, H5T_NATIVE_DOUBLE);
        break;
      case ParamKind::integer:
        field.offset = compound_.add(p.name, H5T_NATIVE_INT64);
        break;
      case ParamKind::categorical: {
        std::size_t size = 1;
        for (const auto& c : p.choices) size = std::max(size, c.size());
        if (i < choice_sizes.size() && choice_sizes[i] > 0) size = choice_sizes[i];
        field.size = size;
        field.offset = compound_.add_string(p.name, size);
        for (std::size_t c = 0; c < p.choices.size(); ++c)
          field.index_of_choice.emplace(p.choices[c], static_cast<double>(c));
        break;
      }
    }
    fields_.push_back(std::move(field));
  }
}

void ParamsLayout::encode(std::span<const double> values, std::byte* row) const {
  if (!values.empty() && values.size() != fields_.size())
    throw LogError(fmt::format("a trial has {} parameter values; the space has {} parameters",
                               values.size(), fields_.size()));
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    const double v = values.empty() ? std::numeric_limits<double>::quiet_NaN() : values[i];
    auto* out = reinterpret_cast<char*>(row + f.offset);
    switch (f.kind) {
      case ParamKind::real:
        std::memcpy(out, &v, sizeof v);
        break;
      case ParamKind::integer: {
        const std::int64_t n = std::isfinite(v) ? std::llround(v) : missing_int;
        std::memcpy(out, &n, sizeof n);
        break;
      }
      case ParamKind::categorical: {
        const bool valid = std::isfinite(v) && v >= 0 && v < static_cast<double>(f.choices.size());
        copy_text(out, f.size, valid ? std::string_view(f.choices[static_cast<std::size_t>(v)]) : "");
        break;
      }
    }
  }
}

std::vector<double> ParamsLayout::decode(const std::byte* row) const {
  std::vector<double> values(fields_.size());
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    const auto* in = reinterpret_cast<const char*>(row + f.offset);
    switch (f.kind) {
      case ParamKind::real:
        std::memcpy(&values[i], in, sizeof(double));
        break;
      case ParamKind::integer: {
        std::int64_t n = 0;
        std::memcpy(&n, in, sizeof n);
        values[i] = n == missing_int ? std::numeric_limits<double>::quiet_NaN()
                                     : static_cast<double>(n);
        break;
      }
      case ParamKind::categorical: {
        const auto it = f.index_of_choice.find(read_text(in, f.size));
        values[i] = it == f.index_of_choice.end() ? std::numeric_limits<double>::quiet_NaN()
                                                  : it->second;
        break;
      }
    }
  }
  return values;
}

}  // namespace h5tune::logfmt
