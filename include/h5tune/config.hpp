#pragma once
#include <filesystem>
#include <string_view>

#include "h5tune/study.hpp"

namespace h5tune {

/// Reads and checks a study file (TOML; reference in docs/study-file.md). Relative paths
/// in it (log, trial directories) are taken relative to the file's directory. Throws
/// ConfigError naming the file, line and key of the first problem: a syntax error, an
/// unknown key, a wrong type, an impossible range, an argv placeholder that is no
/// parameter, a command not found.
StudyConfig load_study(const std::filesystem::path& path);

/// Same, from text; `path` names it in errors and anchors relative paths.
StudyConfig parse_study(std::string_view text, const std::filesystem::path& path);

}  // namespace h5tune
