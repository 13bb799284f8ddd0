#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "h5tune/command.hpp"

namespace h5tune {
namespace {

bool is_executable_file(const std::filesystem::path& path) {
  struct stat info{};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::filesystem::path find_executable(const std::string& name) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos)
    return is_executable_file(name) ? std::filesystem::path(name) : std::filesystem::path();
  // execvp's search: each PATH entry in order, an empty entry meaning the current
  // directory, and glibc's default list when PATH is unset.
  const char* env_path = std::getenv("PATH");
  const std::string_view path = env_path != nullptr ? env_path : "/bin:/usr/bin";
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find(':', begin);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view dir = path.substr(begin, end - begin);
    const std::filesystem::path candidate =
        dir.empty() ? std::filesystem::path(name) : std::filesystem::path(dir) / name;
    if (is_executable_file(candidate)) return candidate;
    begin = end + 1;
  }
  return {};
}

}  // namespace h5tune
