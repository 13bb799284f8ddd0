#include "log/growing_table.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "log/hdf5_check.hpp"

namespace h5tune::hdf5 {
namespace {

hsize_t extent_of(hid_t dataset, const std::string& path) {
  Dataspace space(check(H5Dget_space(dataset), "getting the extent of " + path));
  const int rank = check(H5Sget_simple_extent_ndims(space.get()), "getting the rank of " + path);
  if (rank != 1) throw_hdf5_error(fmt::format("{} is not a 1-D table (rank {})", path, rank));
  hsize_t dims = 0;
  check(H5Sget_simple_extent_dims(space.get(), &dims, nullptr), "getting the extent of " + path);
  return dims;
}

/// A table's extent is metadata a corrupt file can set to anything, and readers size their
/// buffers by it: refuse an extent the stored chunks cannot back. Rows past the last
/// written chunk read as the fill value, and a live writer extends a table a moment before
/// it writes the rows, so the allowance is the stored rows plus 64 MiB of rows.
void check_extent_is_backed(hid_t dataset, const std::string& path, hsize_t rows) {
  Datatype file_type(check(H5Dget_type(dataset), "getting the row type of " + path));
  const hsize_t row_bytes = std::max<hsize_t>(1, H5Tget_size(file_type.get()));
  const hsize_t stored_rows = H5Dget_storage_size(dataset) / row_bytes;
  constexpr hsize_t allowance_bytes = hsize_t{64} << 20;
  const hsize_t allowed = stored_rows + allowance_bytes / row_bytes;
  if (rows > allowed)
    throw_hdf5_error(fmt::format("{} claims {} rows but its stored data holds at most {}: the file is corrupt",
                                 path, rows, stored_rows));
}

}  // namespace

GrowingTable GrowingTable::create(hid_t file, const char* path, Datatype mem_type,
                                  hid_t file_type, const void* fill, hsize_t chunk_rows) {
  const std::string what = fmt::format("creating {}", path);
  const hsize_t initial = 0;
  const hsize_t unlimited = H5S_UNLIMITED;
  Dataspace space(check(H5Screate_simple(1, &initial, &unlimited), what));
  PropertyList dcpl(check(H5Pcreate(H5P_DATASET_CREATE), what));
  check(H5Pset_chunk(dcpl.get(), 1, &chunk_rows), what);
  check(H5Pset_fill_value(dcpl.get(), mem_type.get(), fill), what);
  check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_IFSET), what);

  GrowingTable table;
  table.dataset_ = Dataset(check(
      H5Dcreate2(file, path, file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), what));
  table.row_size_ = H5Tget_size(mem_type.get());
  table.mem_type_ = std::move(mem_type);
  table.path_ = path;
  return table;
}

GrowingTable GrowingTable::open(hid_t file, const char* path, Datatype mem_type) {
  GrowingTable table;
  table.path_ = path;
  table.dataset_ = Dataset(check(H5Dopen2(file, path, H5P_DEFAULT), fmt::format("opening {}", path)));
  table.size_ = extent_of(table.dataset_.get(), table.path_);
  check_extent_is_backed(table.dataset_.get(), table.path_, table.size_);
  table.row_size_ = H5Tget_size(mem_type.get());
  table.mem_type_ = std::move(mem_type);
  return table;
}

void GrowingTable::append(const void* rows, hsize_t count) {
  if (count == 0) return;
  const RowRun run{size_, count};
  write_runs(rows, std::span<const RowRun>(&run, 1));
}

void GrowingTable::write_runs(const void* rows, std::span<const RowRun> runs) {
  if (runs.empty()) return;
  const std::string what = fmt::format("writing {}", path_);
  hsize_t total = 0;
  hsize_t end = size_;
  for (const auto& run : runs) {
    total += run.count;
    end = std::max(end, run.first + run.count);
  }
  if (total == 0) return;
  if (end > size_) {
    check(H5Dset_extent(dataset_.get(), &end), fmt::format("extending {} to {} rows", path_, end));
    size_ = end;
  }
  Dataspace file_space(check(H5Screate_simple(1, &size_, nullptr), what));
  check(H5Sselect_none(file_space.get()), what);
  for (const auto& run : runs)
    if (run.count > 0)
      check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_OR, &run.first, nullptr, &run.count,
                                nullptr),
            what);
  Dataspace mem_space(check(H5Screate_simple(1, &total, nullptr), what));
  check(H5Dwrite(dataset_.get(), mem_type_.get(), mem_space.get(), file_space.get(), H5P_DEFAULT,
                 rows),
        what);
}

void GrowingTable::read(hsize_t first, hsize_t count, void* out) const {
  if (count == 0) return;
  const std::string what = fmt::format("reading rows {}..{} of {}", first, first + count, path_);
  Dataspace file_space(check(H5Dget_space(dataset_.get()), what));
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr),
        what);
  Dataspace mem_space(check(H5Screate_simple(1, &count, nullptr), what));
  check(H5Dread(dataset_.get(), mem_type_.get(), mem_space.get(), file_space.get(), H5P_DEFAULT, out),
        what);
}

void GrowingTable::refresh(bool swmr) {
  if (swmr) check(H5Drefresh(dataset_.get()), fmt::format("refreshing {}", path_));
  size_ = extent_of(dataset_.get(), path_);
  check_extent_is_backed(dataset_.get(), path_, size_);
}

}  // namespace h5tune::hdf5
