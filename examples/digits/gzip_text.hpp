#pragma once
// gzip decompression with zlib, for the embedded dataset and for .csv.gz files.
#include <cstddef>
#include <string>

namespace digits {

/// Inflates a gzip stream held in memory; throws std::runtime_error on corrupt input.
std::string gunzip(const unsigned char* data, std::size_t size);

/// Reads a file whole, inflating it when it is gzip-compressed (zlib reads plain files as
/// they are); throws std::runtime_error when it cannot be read.
std::string read_maybe_gzipped_file(const std::string& path);

}  // namespace digits
