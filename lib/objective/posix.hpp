#pragma once
// The one place where the objective module's C calls are checked: a failing call becomes
// an h5tune::ObjectiveError that names the call and carries errno's text. Also a
// move-only owner of a file descriptor.
#include <cerrno>
#include <string_view>
#include <type_traits>
#include <utility>

namespace h5tune::objective_detail {

/// Throws ObjectiveError("<what>: <error text>").
[[noreturn]] void throw_system_error(int error_number, std::string_view what);

/// Throws ObjectiveError("<what>: <strerror(errno)>") when `result` is -1; returns it
/// otherwise. `what` is text or a function returning text, called only on failure (after
/// errno has been saved, so building the message cannot clobber it).
template <class What>
long check_posix(long result, const What& what) {
  if (result != -1) return result;
  const int error_number = errno;
  if constexpr (std::is_invocable_v<const What&>) throw_system_error(error_number, what());
  else throw_system_error(error_number, what);
}

/// For calls that return an error number instead of setting errno (pthread_*).
void check_error_number(int error_number, std::string_view what);
/// errno's text for an error number (thread-safe).
std::string_view error_text(int error_number) noexcept;

/// Owns one file descriptor and closes it exactly once.
class FileDescriptor {
 public:
  FileDescriptor() noexcept = default;
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { reset(); }

  int get() const noexcept { return fd_; }
  bool is_open() const noexcept { return fd_ >= 0; }
  /// Closes the current descriptor (errors ignored: nothing useful can be done about a
  /// failing close of a pipe or a read-only file) and takes `fd`.
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

}  // namespace h5tune::objective_detail
