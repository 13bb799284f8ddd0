// Fuzz target: the log reader (lib/log) on arbitrary bytes, as `h5tune show`, `export` and
// `run --resume` meet a truncated, corrupt or foreign file. The bytes go to a temporary
// file (HDF5 reads files, not memory); the reader must either read every table or throw
// LogFormatError (an InputError: exit code 2), never crash. HDF5's own error printing is
// off inside the reader, so a run is quiet.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "h5tune/error.hpp"
#include "h5tune/log.hpp"

namespace {

const std::filesystem::path& input_path() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("h5tune-fuzz-log-" + std::to_string(getpid()) + ".h5");
  return path;
}

struct RemoveAtExit {
  ~RemoveAtExit() {
    std::error_code ignored;
    std::filesystem::remove(input_path(), ignored);
  }
} remove_at_exit;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(input_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) {
      std::perror("writing the fuzz input file");
      std::abort();
    }
  }
  try {
    h5tune::LogReader reader(input_path());
    (void)reader.header();
    (void)reader.trial_count();
    (void)reader.trials();
    (void)reader.trials(1, 2);
    (void)reader.reports();
    (void)reader.events();
    (void)reader.hosts();
    (void)reader.metric_names();
    reader.refresh();
  } catch (const h5tune::InputError&) {
    // the expected answer to a file that is not a usable log
  }
  return 0;
}
