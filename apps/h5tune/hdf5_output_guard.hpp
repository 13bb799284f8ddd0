#pragma once
// Commands that write a file (export, report) do not overwrite an HDF5 file without --force:
// it may be another study's log, which the run and simulate commands protect the same way.
#include <filesystem>
#include <string_view>

namespace h5tune::cli {

/// Whether `path` is an existing file with the HDF5 signature where the format puts it
/// (byte 0, or 512, 1024, 2048, ... after a user block). False for a file not there, not
/// readable, or too short.
bool has_hdf5_signature(const std::filesystem::path& path);

/// Throws InputError when `output` is an HDF5 file and `force` is false; `what` names the
/// output ("export", "report") in the message.
void refuse_hdf5_output(const std::filesystem::path& output, bool force, std::string_view what);

}  // namespace h5tune::cli
