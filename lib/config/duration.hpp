#pragma once
#include <optional>
#include <string_view>

namespace h5tune::config {

/// Reads a duration as study files write it: one or more `<number><unit>` parts with
/// units `ms`, `s`, `m`, `h` or `d` ("90s", "10m", "1h30m", "1.5h", "250ms"), optionally
/// separated by spaces. Returns seconds, or nothing when the text is not of that form.
/// A plain number of seconds is written as a TOML number, not as text, so "90" is
/// rejected here: a unit-less string is more likely a mistake than a choice.
std::optional<double> parse_duration_seconds(std::string_view text);

}  // namespace h5tune::config
