#include "h5tune/error.hpp"

#include <utility>

#include <fmt/format.h>

namespace h5tune {
namespace {
std::string locate(const std::string& file, int line, int column, const std::string& key,
                   const std::string& what) {
  std::string where = file;
  if (line > 0) where += fmt::format(":{}", line);
  if (line > 0 && column > 0) where += fmt::format(":{}", column);
  if (!key.empty()) return fmt::format("{}: key '{}': {}", where, key, what);
  return fmt::format("{}: {}", where, what);
}
}  // namespace

LogExistsError::LogExistsError(std::string log)
    : InputError(fmt::format("{}: log exists; RunOptions::resume continues it, RunOptions::overwrite replaces it", log)),
      log_(std::move(log)) {}

OptionError::OptionError(std::vector<std::string> options, const std::string& what)
    : InputError(what), options_(std::move(options)) {}

ConfigError::ConfigError(std::string file, int line, int column, std::string key, const std::string& what)
    : InputError(locate(file, line, column, key, what)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_(std::move(key)) {}

}  // namespace h5tune
