#pragma once
// A temporary bound on how much more memory the process may map, while libhdf5 reads the
// metadata of a file that may be corrupt.
#include <sys/resource.h>

#include <cstddef>

namespace h5tune::hdf5 {

/// While alive, lowers the soft address-space limit (RLIMIT_AS) to the process's current
/// size plus `headroom` bytes (never above the hard limit, never below the limit in force),
/// and restores the previous limit on destruction.
///
/// Why: a corrupt size field in an object header makes libhdf5 1.10 allocate and fill that
/// many bytes, and decode the garbage into ever larger message arrays (found by fuzzing: a
/// 14 KB file took 7.8 GB and 25 s before HDF5 gave up). Metadata of a real log needs
/// kilobytes; under the cap such an allocation fails, HDF5 reports the error, and the
/// reader refuses the file as corrupt. The cap is process-wide, so it is held only around
/// opening a file, not while tables are read. If the limit cannot be read or set, nothing
/// changes.
class MemoryCap {
 public:
  explicit MemoryCap(std::size_t headroom) noexcept;
  ~MemoryCap();
  MemoryCap(const MemoryCap&) = delete;
  MemoryCap& operator=(const MemoryCap&) = delete;

 private:
  rlimit previous_{};
  bool active_ = false;
};

}  // namespace h5tune::hdf5
