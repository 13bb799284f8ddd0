#pragma once
// One writer per log: an advisory record lock held for as long as a LogWriter has the file.
#include <filesystem>

namespace h5tune::logfmt {

/// Holds an open-file-description record lock (fcntl F_OFD_SETLK, write lock over the whole
/// file) on a log while alive; the kernel drops it when the process dies, SIGKILL included.
/// A second writer of the same log (another `h5tune run --resume`) fails at once with
/// LogFormatError naming the file. On a file system without record locks (Lustre mounted
/// without `-o flock`, some NFS setups) it holds no lock and the log is unguarded.
///
/// Why not libhdf5's own file lock: HDF5 1.10 takes flock() locks in two steps (create or
/// open, then lock; H5Fstart_swmr_write unlocks and locks again), and a reader opening the
/// file in between, even for a moment, makes the writer fail, in H5Fstart_swmr_write with
/// its open datasets already invalidated. Our writer turns HDF5's locking off and uses this
/// lock, which flock() readers (h5py's default) never contend with on Linux.
class WriterLock {
 public:
  WriterLock() = default;
  explicit WriterLock(const std::filesystem::path& path);
  ~WriterLock();
  WriterLock(WriterLock&& other) noexcept;
  WriterLock& operator=(WriterLock&& other) noexcept;
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace h5tune::logfmt
