#pragma once
// Compound row types whose shape is known only at run time (one field per parameter,
// string fields sized to their longest value): fields are laid out back to back in a
// byte row, and the HDF5 type is built from the same offsets.
#include <hdf5.h>

#include <cstddef>
#include <string>
#include <vector>

#include "log/hdf5_handle.hpp"

namespace h5tune::hdf5 {

/// Lays out named fields in a byte row and builds the matching compound type.
/// Rows are packed (no alignment): read and write fields with memcpy.
class DynamicCompound {
 public:
  /// Add a field of a native type (H5T_NATIVE_DOUBLE, ...); returns its byte offset.
  std::size_t add(const std::string& name, hid_t native_type);
  /// Add a fixed-length, null-padded string field of `size` bytes; returns its offset.
  std::size_t add_string(const std::string& name, std::size_t size);
  std::size_t row_size() const noexcept { return size_; }
  bool empty() const noexcept { return fields_.empty(); }
  /// The compound type of the row (a new id each call).
  Datatype type() const;

 private:
  struct Field {
    std::string name;
    std::size_t offset;
    std::size_t string_size;  // 0: a native type
    hid_t native_type;
  };
  std::vector<Field> fields_;
  std::size_t size_ = 0;
};

/// Byte size of the string member `member` of the compound type of dataset `path`, or 0
/// when there is no such member (or it is not a fixed-length string). Lets a reader
/// size its memory fields to what the file holds.
std::size_t string_member_size(hid_t file, const char* path, const char* member);

/// Whether the compound type of dataset `path` has a member `member`: a field added to a
/// table later is absent from the files written before.
bool has_member(hid_t file, const char* path, const char* member);

}  // namespace h5tune::hdf5
