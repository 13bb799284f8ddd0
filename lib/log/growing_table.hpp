#pragma once
// One extendible, chunked 1-D dataset of fixed-size rows: the building block of every
// table in the log. Rows travel in the table's memory type; HDF5 converts to and from
// the (packed) file type, matching compound fields by name.
#include <hdf5.h>

#include <cstddef>
#include <span>
#include <string>

#include "log/hdf5_handle.hpp"

namespace h5tune::hdf5 {

/// A run of consecutive rows [first, first + count).
struct RowRun {
  hsize_t first = 0;
  hsize_t count = 0;
};

/// An extendible 1-D dataset with unlimited max size. The writer creates it before the
/// file switches to SWMR; readers open it and refresh() it to see rows added since.
class GrowingTable {
 public:
  GrowingTable() = default;

  /// Create `path` (parent groups must exist) with `chunk_rows` rows per chunk. `fill`
  /// (one row in `mem_type`) is what never-written rows read as.
  static GrowingTable create(hid_t file, const char* path, Datatype mem_type, hid_t file_type,
                             const void* fill, hsize_t chunk_rows);
  /// Open an existing table, reading rows as `mem_type`.
  static GrowingTable open(hid_t file, const char* path, Datatype mem_type);

  explicit operator bool() const noexcept { return static_cast<bool>(dataset_); }
  const std::string& path() const noexcept { return path_; }
  /// Rows in the table (as of creation, the last write, or the last refresh()).
  hsize_t size() const noexcept { return size_; }
  /// Size in bytes of one row in memory.
  std::size_t row_size() const noexcept { return row_size_; }
  hid_t mem_type() const noexcept { return mem_type_.get(); }

  /// Append `count` rows.
  void append(const void* rows, hsize_t count);
  /// Write rows at the given runs (sorted, disjoint), extending the table as needed;
  /// `rows` holds the rows of all runs back to back. One H5Dwrite for all runs.
  void write_runs(const void* rows, std::span<const RowRun> runs);
  /// Read rows [first, first + count) into `out` (count must fit in size()).
  void read(hsize_t first, hsize_t count, void* out) const;
  /// Re-read the table's size from the file (SWMR readers see growth only after this).
  void refresh(bool swmr);
  /// Close the dataset now (the handle's destructor would do it too).
  void close() noexcept { dataset_.reset(); }

 private:
  Dataset dataset_;
  Datatype mem_type_;
  std::string path_;
  hsize_t size_ = 0;
  std::size_t row_size_ = 0;
};

}  // namespace h5tune::hdf5
