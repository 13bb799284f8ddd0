#pragma once
// The write-once part of a log: root attributes, /study_file, /space and /space_choices.
#include <hdf5.h>

#include <optional>

#include "h5tune/log.hpp"

namespace h5tune::logfmt {

/// Write every LogHeader field (format_version = log_format_version, whatever the
/// header says) and the space tables. Must run before SWMR writing starts.
void write_header(hid_t file, const LogHeader& header);

/// Throws LogError unless attribute `attr` (named `name`) holds exactly one value: reading
/// a scalar from an array attribute would write past the scalar.
void require_one_value(hid_t attr, const char* name);

/// The root attribute format_version, or nullopt when the file has none (not our log).
std::optional<int> read_format_version(hid_t file);

/// Read the header and space back. Throws LogError when something is missing or odd,
/// SpaceError when the stored space does not validate.
LogHeader read_header(hid_t file);

}  // namespace h5tune::logfmt
