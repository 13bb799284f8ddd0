#include "log/staged_file.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::logfmt {

std::filesystem::path staging_path(const std::filesystem::path& final_path) {
  return final_path.parent_path() /
         fmt::format(".{}.{}.creating", final_path.filename().string(), static_cast<long>(::getpid()));
}

void publish(const std::filesystem::path& staged, const std::filesystem::path& final_path, bool overwrite) {
  const unsigned flags = overwrite ? 0u : RENAME_NOREPLACE;
  if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, final_path.c_str(), flags) == 0) return;
  const int error = errno;
  if (error == EEXIST)
    throw LogExistsError(final_path.string());
  throw LogError(fmt::format("{}: cannot move the new log into place from {}: {}", final_path.string(),
                             staged.string(), std::strerror(error)));
}

}  // namespace h5tune::logfmt
