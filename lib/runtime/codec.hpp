#pragma once
// Boost.Serialization into reused buffers. The platform notes measured serialization, not
// MPI, as the dispatch cost (8.3 us per item through iostreams into a fresh vector); a
// long-lived archive over our own streambuf avoids both the stream and the allocation.
#include <memory>
#include <span>
#include <streambuf>
#include <vector>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

#include "h5tune/error.hpp"

namespace h5tune::runtime {

/// A streambuf that appends to a vector whose capacity is kept across messages.
class ByteSink final : public std::streambuf {
 public:
  void clear() noexcept { bytes_.clear(); }
  std::span<const char> bytes() const noexcept { return bytes_; }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    bytes_.insert(bytes_.end(), s, s + n);
    return n;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) bytes_.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }

 private:
  std::vector<char> bytes_;
};

/// A streambuf reading from a borrowed byte range.
class ByteSource final : public std::streambuf {
 public:
  void reset(std::span<const char> bytes) noexcept {
    char* begin = const_cast<char*>(bytes.data());  // read-only use: setg needs char*
    setg(begin, begin, begin + bytes.size());
  }
};

inline constexpr unsigned archive_flags =
    boost::archive::no_header | boost::archive::no_codecvt | boost::archive::no_tracking;

/// Encodes messages one after another into one reused buffer.
class Encoder {
 public:
  template <class Message>
  std::span<const char> encode(const Message& message) {
    sink_.clear();
    archive_ << message;
    return sink_.bytes();
  }

 private:
  ByteSink sink_;
  boost::archive::binary_oarchive archive_{sink_, archive_flags};
};

/// Decodes messages from any sender's Encoder.
class Decoder {
 public:
  /// Throws TransportError when the bytes are not a whole message of this type.
  template <class Message>
  void decode(std::span<const char> bytes, Message& message) {
    source_.reset(bytes);
    try {
      archive_ >> message;
    } catch (const std::exception& e) {
      throw TransportError(std::string("malformed message: ") + e.what());
    }
  }

 private:
  ByteSource source_;
  boost::archive::binary_iarchive archive_{source_, archive_flags};
};

}  // namespace h5tune::runtime
