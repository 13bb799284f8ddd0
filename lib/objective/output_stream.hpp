#pragma once
// Bounded handling of a child's output: a program that prints gigabytes, or one line of
// megabytes, must cost us neither unbounded memory nor time.
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "objective/posix.hpp"

namespace h5tune::objective_detail {

/// Splits a byte stream into lines (without "\n" or a trailing "\r"). A line longer than
/// `max_line` bytes is cut to its first `max_line` bytes and flagged as truncated; the
/// rest of it is dropped, so memory stays at most `max_line`.
class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

  /// Calls on_line(std::string_view line, bool truncated) for every line completed by `bytes`.
  template <class OnLine>
  void feed(std::string_view bytes, OnLine&& on_line) {
    while (!bytes.empty()) {
      const void* newline = std::memchr(bytes.data(), '\n', bytes.size());
      if (newline == nullptr) {
        append(bytes);
        return;
      }
      const auto length = static_cast<std::size_t>(static_cast<const char*>(newline) - bytes.data());
      const std::string_view piece = bytes.substr(0, length);
      bytes.remove_prefix(length + 1);
      if (partial_.empty() && !truncated_ && piece.size() <= max_line_) {
        on_line(trim(piece), false);  // the common case: no copy
        continue;
      }
      append(piece);
      on_line(trim(partial_), truncated_);
      partial_.clear();
      truncated_ = false;
    }
  }

  /// Delivers the last line when the stream ended without a newline.
  template <class OnLine>
  void finish(OnLine&& on_line) {
    if (!partial_.empty() || truncated_) on_line(trim(partial_), truncated_);
    partial_.clear();
    truncated_ = false;
  }

 private:
  void append(std::string_view bytes);
  static std::string_view trim(std::string_view line) noexcept {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }

  std::size_t max_line_;
  std::string partial_;
  bool truncated_ = false;
};

/// Copies a stream to a file up to `cap` bytes; past that it writes one note saying so and
/// drops the rest.
class CappedLogFile {
 public:
  CappedLogFile(const std::filesystem::path& path, std::size_t cap);
  void write(std::string_view bytes);

 private:
  void write_all(std::string_view bytes);
  FileDescriptor fd_;
  std::filesystem::path path_;
  std::size_t cap_;
  std::size_t written_ = 0;
  bool capped_ = false;
};

/// The last `capacity` bytes of a stream (amortised O(1) per byte, at most 2 x capacity held).
class TailBuffer {
 public:
  explicit TailBuffer(std::size_t capacity) : capacity_(capacity) {}
  void append(std::string_view bytes);
  std::string text() const;

 private:
  std::size_t capacity_;
  std::string buffer_;
};

}  // namespace h5tune::objective_detail
