#include "log/memory_cap.hpp"

#include <unistd.h>

#include <fstream>

namespace h5tune::hdf5 {
namespace {

/// The process's mapped size in bytes (/proc/self/statm), 0 if unknown.
rlim_t mapped_bytes() {
  std::ifstream statm("/proc/self/statm");
  unsigned long long pages = 0;
  if (!(statm >> pages)) return 0;
  const long page = sysconf(_SC_PAGESIZE);
  return static_cast<rlim_t>(pages) * static_cast<rlim_t>(page > 0 ? page : 4096);
}

}  // namespace

MemoryCap::MemoryCap(std::size_t headroom) noexcept {
  if (getrlimit(RLIMIT_AS, &previous_) != 0) return;
  const rlim_t mapped = mapped_bytes();
  if (mapped == 0) return;
  rlim_t cap = mapped + static_cast<rlim_t>(headroom);
  if (previous_.rlim_max != RLIM_INFINITY && cap > previous_.rlim_max) cap = previous_.rlim_max;
  if (previous_.rlim_cur != RLIM_INFINITY && cap >= previous_.rlim_cur) return;  // already tighter
  rlimit capped = previous_;
  capped.rlim_cur = cap;
  active_ = setrlimit(RLIMIT_AS, &capped) == 0;
}

MemoryCap::~MemoryCap() {
  if (active_) setrlimit(RLIMIT_AS, &previous_);
}

}  // namespace h5tune::hdf5
