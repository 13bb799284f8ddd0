#pragma once
// A new log is built under a temporary name next to its final path and renamed into place
// once every table exists and SWMR writing has started.
#include <filesystem>
#include <string>

namespace h5tune::logfmt {

/// The temporary sibling of `final_path` a new log is built at: hidden, and unique to this
/// process (".<name>.<pid>.creating").
std::filesystem::path staging_path(const std::filesystem::path& final_path);

/// Renames `staged` to `final_path` in one step (rename(2) within one directory), replacing
/// an existing file only when `overwrite`; without it an existing file makes it throw
/// LogExistsError and leaves both files as they were. Other failures throw
/// LogError naming both paths and the system's reason.
///
/// Why: libhdf5 creates a file and locks it in two steps. A reader that opened the new,
/// empty file in between (`h5tune show` polling a run, an h5py script) made the writer's
/// lock and so the whole run fail at its start; and with --force a failed creation used to
/// leave no log at all where the old one had been. Built aside, a log appears complete and
/// already in SWMR mode, and the old one stays until the new one replaces it.
void publish(const std::filesystem::path& staged, const std::filesystem::path& final_path, bool overwrite);

}  // namespace h5tune::logfmt
