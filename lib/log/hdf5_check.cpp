#include "log/hdf5_check.hpp"

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::hdf5 {
namespace {

herr_t append_entry(unsigned n, const H5E_error2_t* err, void* client) {
  auto& text = *static_cast<std::string*>(client);
  if (n > 0) text += "; ";
  const char* desc = (err->desc != nullptr && *err->desc != '\0') ? err->desc : "error";
  text += fmt::format("{}(): {}", err->func_name != nullptr ? err->func_name : "?", desc);
  return 0;
}

}  // namespace

std::string error_stack_text() {
  std::string text;
  // Innermost first: the deepest entry usually says what really went wrong
  // ("unable to open file: name = ..., errno = 2").
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, append_entry, &text);
  H5Eclear2(H5E_DEFAULT);
  return text;
}

void throw_hdf5_error(std::string_view what) {
  const std::string stack = error_stack_text();
  if (stack.empty()) throw LogError(fmt::format("{}: HDF5 call failed", what));
  throw LogError(fmt::format("{}: HDF5: {}", what, stack));
}

SilenceErrors::SilenceErrors() noexcept {
  H5Eget_auto2(H5E_DEFAULT, &old_func_, &old_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

SilenceErrors::~SilenceErrors() { H5Eset_auto2(H5E_DEFAULT, old_func_, old_data_); }

}  // namespace h5tune::hdf5
