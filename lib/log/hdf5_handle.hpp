#pragma once
// Move-only owners of HDF5 ids (the HighFive model): one class per id kind, whose
// destructor closes the id and never throws, so an exception thrown half way through
// building a file cannot leak ids or leave the file open.
#include <hdf5.h>

#include <utility>

namespace h5tune::hdf5 {

/// Owns one HDF5 id and closes it with `Close` (H5Fclose, H5Dclose, ...) when destroyed.
/// An empty handle holds H5I_INVALID_HID. Errors while closing are ignored: a destructor
/// has nobody to report to, and the file's consistency is the writer's flush()/close() job.
template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() noexcept = default;
  /// Takes ownership of `id` (which must be valid: pass it through check() first).
  explicit Handle(hid_t id) noexcept : id_(id) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }

  hid_t get() const noexcept { return id_; }
  explicit operator bool() const noexcept { return id_ >= 0; }

  /// Close now; the return value of the close call for callers that care (close()).
  herr_t reset() noexcept {
    herr_t status = 0;
    if (id_ >= 0) status = Close(std::exchange(id_, H5I_INVALID_HID));
    return status;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using Attribute = Handle<H5Aclose>;
using PropertyList = Handle<H5Pclose>;

}  // namespace h5tune::hdf5
