#include "runtime/pid_file.hpp"

#include <unistd.h>

#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::runtime {

PidFile::PidFile(std::filesystem::path path) : path_(std::move(path)) {
  if (path_.empty()) return;
  // Written whole under a temporary name and renamed, so a reader never sees a partial id.
  const auto partial = std::filesystem::path(path_).concat(".partial");
  {
    std::ofstream out(partial, std::ios::trunc);
    out << ::getpid() << '\n';
    if (!out.flush())
      throw InputError(fmt::format("--pid-file {}: cannot write the process id there", path_.string()));
  }
  std::error_code error;
  std::filesystem::rename(partial, path_, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw InputError(fmt::format("--pid-file {}: cannot write the process id there: {}", path_.string(),
                                 error.message()));
  }
}

PidFile::~PidFile() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace h5tune::runtime
