#include "objective/posix.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "h5tune/error.hpp"

namespace h5tune::objective_detail {

std::string_view error_text(int error_number) noexcept {
  // strerrordesc_np (glibc >= 2.32) is thread-safe, unlike strerror.
  const char* text = strerrordesc_np(error_number);
  return text != nullptr ? std::string_view(text) : std::string_view("unknown error");
}

void throw_system_error(int error_number, std::string_view what) {
  throw ObjectiveError(fmt::format("{}: {}", what, error_text(error_number)));
}

void check_error_number(int error_number, std::string_view what) {
  if (error_number != 0) throw_system_error(error_number, what);
}

void FileDescriptor::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

}  // namespace h5tune::objective_detail
