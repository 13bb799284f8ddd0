#pragma once
// The one choke point for HDF5 C calls: every return value goes through check(), which
// turns a failure into h5tune::LogError carrying our message and HDF5's error stack.
#include <hdf5.h>

#include <concepts>
#include <string>
#include <string_view>

namespace h5tune::hdf5 {

/// HDF5's current error stack as text, innermost call first, one line per entry
/// ("H5Dwrite(): can't write data"); empty when the stack is empty. Clears the stack.
std::string error_stack_text();

/// Throws h5tune::LogError "<what>: <HDF5 error stack>".
[[noreturn]] void throw_hdf5_error(std::string_view what);

/// Returns `ret` when it signals success (>= 0: ids, herr_t, htri_t, sizes); otherwise
/// throws LogError naming `what` (what we were doing, e.g. "creating /events in run.h5").
template <std::signed_integral T>
T check(T ret, std::string_view what) {
  if (ret < 0) throw_hdf5_error(what);
  return ret;
}

/// Turns off HDF5's automatic printing of error stacks to stderr for its lifetime and
/// restores the previous handler afterwards (as HighFive's SilenceHDF5): our errors are
/// reported once, as exceptions, by check().
class SilenceErrors {
 public:
  SilenceErrors() noexcept;
  ~SilenceErrors();
  SilenceErrors(const SilenceErrors&) = delete;
  SilenceErrors& operator=(const SilenceErrors&) = delete;

 private:
  H5E_auto2_t old_func_ = nullptr;
  void* old_data_ = nullptr;
};

}  // namespace h5tune::hdf5
