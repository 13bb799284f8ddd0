#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "h5tune/trial.hpp"

namespace h5tune {

/// A parsed protocol line `h5tune: step=3 loss=0.41 acc=0.9`.
struct MetricLine {
  std::optional<std::int64_t> step;  ///< present: an intermediate report at this step
  Metrics metrics;                   ///< name=value pairs other than step, in order
};

/// Parses one output line. Returns nullopt unless the line starts with "h5tune:" (after
/// optional whitespace) and is at most 64 KiB long (a longer one is output, not protocol).
/// Pairs are separated by whitespace, which may also surround '='. Names are
/// [A-Za-z_][A-Za-z0-9_.-]*; values are parsed with std::from_chars (so "nan" and "inf"
/// parse, and are caught later as non-finite; a leading '+' is accepted). `step` must be an
/// integer ("3" or "3.0"). A later pair of the same name replaces an earlier one. A
/// malformed pair makes `error` non-empty and is skipped; a malformed step drops the whole
/// line's metrics, which would otherwise pass for final ones. Pure, never throws: the line
/// is data, never code.
std::optional<MetricLine> parse_metric_line(std::string_view line, std::string* error = nullptr);

}  // namespace h5tune
