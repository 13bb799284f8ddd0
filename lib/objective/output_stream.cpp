#include "objective/output_stream.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace h5tune::objective_detail {

void LineSplitter::append(std::string_view bytes) {
  const std::size_t room = max_line_ - std::min(max_line_, partial_.size());
  if (bytes.size() > room) truncated_ = true;
  partial_.append(bytes.substr(0, room));
}

CappedLogFile::CappedLogFile(const std::filesystem::path& path, std::size_t cap)
    : path_(path), cap_(cap) {
  fd_.reset(static_cast<int>(check_posix(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644),
      [&] { return fmt::format("cannot create {}", path.string()); })));
}

void CappedLogFile::write(std::string_view bytes) {
  if (capped_) return;
  const std::size_t room = cap_ - written_;
  if (bytes.size() <= room) {
    write_all(bytes);
    written_ += bytes.size();
    return;
  }
  write_all(bytes.substr(0, room));
  written_ = cap_;
  capped_ = true;
  write_all(fmt::format("\n[h5tune: output truncated here: this log keeps the first {} bytes]\n",
                        cap_));
}

void CappedLogFile::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
    if (n == -1 && errno == EINTR) continue;
    check_posix(n, [&] { return fmt::format("cannot write {}", path_.string()); });
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void TailBuffer::append(std::string_view bytes) {
  if (capacity_ == 0) return;
  if (bytes.size() >= capacity_) {
    buffer_.assign(bytes.substr(bytes.size() - capacity_));
    return;
  }
  buffer_.append(bytes);
  if (buffer_.size() > 2 * capacity_) buffer_.erase(0, buffer_.size() - capacity_);
}

std::string TailBuffer::text() const {
  if (buffer_.size() <= capacity_) return buffer_;
  return buffer_.substr(buffer_.size() - capacity_);
}

}  // namespace h5tune::objective_detail
