#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace h5tune::cli {

/// Exit codes of the h5tune command (documented in README.md).
enum ExitCode : int {
  exit_ok = 0,
  exit_failure = 1,      ///< a runtime failure (HDF5, MPI, I/O), or max_failures stopped the study
  exit_bad_input = 2,    ///< a bad study file, command line or log file; nothing was written
  exit_interrupted = 3,  ///< the run was stopped by a signal; resume it with --resume
};

/// Runs `body`, printing any h5tune error as one line "h5tune: error: ..." on stderr (only
/// when `print` is true: under MPI only rank 0 speaks) and mapping it to its exit code.
int guarded(const std::function<int()>& body, bool print = true);

/// The message for a command line the parser refused (`what`: CLI11's message), clearer
/// where CLI11's is not: an unknown first word is named with the subcommands there are, and
/// a failed range check says which bound the value broke instead of printing DBL_MAX.
std::string command_line_error(const std::string& what, const std::vector<std::string>& args,
                               const std::vector<std::string>& subcommands);

/// Whether `a` and `b` name the same file (the same path, or a link to it; for a file not
/// there yet, the same path once links are resolved): a command must not write its output
/// over the log or study file it reads.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

/// Refuses NaN and infinities in a real-valued option. CLI11's Range lets NaN through (every
/// comparison with it is false), so a tolerance or interval of nan was used as given; check
/// with this before a Range.
extern const CLI::Validator finite_number;

}  // namespace h5tune::cli
