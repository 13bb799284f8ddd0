#include "runtime/trials_dir.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "h5tune/command.hpp"
#include "h5tune/error.hpp"

namespace h5tune::runtime {

void check_trials_dir(const StudyConfig& study) {
  if (!study.command) return;
  const std::filesystem::path dir = std::filesystem::absolute(study.command->trials_dir).lexically_normal();
  const bool chosen = study.command->trials_dir != study.default_trials_dir();
  const auto refuse = [&](const std::string& why) {
    const std::string file = study.source_path.empty() ? std::string("<study>") : study.source_path.string();
    throw ConfigError(file, 0, 0, chosen ? "objective.workdir" : "",
                      fmt::format("cannot use {} for the trial directories: {}", dir.string(), why));
  };
  // The part of the path that exists must be a directory; the rest is created by the run.
  std::error_code ec;
  std::filesystem::path existing = dir;
  std::vector<std::filesystem::path> missing;  // deepest first
  while (!std::filesystem::exists(existing, ec) && existing != existing.parent_path()) {
    missing.push_back(existing);
    existing = existing.parent_path();
  }
  if (!std::filesystem::is_directory(existing, ec)) refuse(fmt::format("{} exists and is not a directory", existing.string()));
  // Permission bits do not tell (root may write anywhere, /proc refuses even root): create
  // the missing part to see, then remove what this check created.
  std::filesystem::create_directories(dir, ec);
  const std::string failed = ec ? ec.message() : ::access(dir.c_str(), W_OK | X_OK) != 0 ? std::strerror(errno) : "";
  for (const auto& created : missing) {
    std::error_code ignored;  // a directory someone filled meanwhile stays
    std::filesystem::remove(created, ignored);
  }
  if (!failed.empty()) refuse(failed);
}

}  // namespace h5tune::runtime
