#include "hdf5_output_guard.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::cli {

bool has_hdf5_signature(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  constexpr std::array<char, 8> signature = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  // The HDF5 format (superblock section): the signature at 0 or at 512 * 2^k.
  for (std::uintmax_t at = 0; at + signature.size() <= size; at = at == 0 ? 512 : 2 * at) {
    std::array<char, 8> bytes{};
    in.seekg(static_cast<std::streamoff>(at));
    if (!in.read(bytes.data(), bytes.size())) return false;
    if (bytes == signature) return true;
  }
  return false;
}

void refuse_hdf5_output(const std::filesystem::path& output, bool force, std::string_view what) {
  if (force || !has_hdf5_signature(output)) return;
  throw InputError(fmt::format("{}: that is an HDF5 file (maybe a study's log); the {} would overwrite it: "
                               "pass -o another file, or --force to replace it",
                               output.string(), what));
}

}  // namespace h5tune::cli
