#include "log/writer_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::logfmt {

WriterLock::WriterLock(const std::filesystem::path& path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0)
    throw LogFormatError(fmt::format("{}: cannot open it for writing: {}", path.string(), std::strerror(errno)));
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;  // l_start = l_len = 0: the whole file, however long it grows
  if (::fcntl(fd_, F_OFD_SETLK, &lock) == 0) return;
  const int error = errno;
  // A file system without record locks (Lustre mounted without -o flock, some NFS setups)
  // gets no lock, as libhdf5 ignores lock failures there: the run goes on unguarded.
  if (error == ENOSYS || error == ENOLCK || error == EOPNOTSUPP || error == EINVAL) return;
  ::close(fd_);
  fd_ = -1;
  if (error == EAGAIN || error == EACCES)
    throw LogFormatError(fmt::format("{}: another process is writing this log (another h5tune run?)", path.string()));
  throw LogFormatError(fmt::format("{}: cannot lock it for writing: {}", path.string(), std::strerror(error)));
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);
}

WriterLock::WriterLock(WriterLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

WriterLock& WriterLock::operator=(WriterLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

}  // namespace h5tune::logfmt
