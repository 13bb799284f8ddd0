#pragma once
#include <filesystem>
#include <string_view>

#include "h5tune/study.hpp"

namespace h5tune {

/// What reading a study checks beyond the file itself.
struct LoadOptions {
  /// Look up the objective command's program (on PATH, or relative to the study file) and
  /// refuse the study when it is missing. Off for a tool that never runs it (h5tune simulate).
  bool find_program = true;
};

/// Reads and checks a study file (TOML; reference in docs/study-file.md). Relative paths
/// in it (log, trial directories) are taken relative to the file's directory. Throws
/// ConfigError naming the file, line and key of the first problem: a syntax error, an
/// unknown key, a wrong type, an impossible range, an argv placeholder that is no
/// parameter, a command not found (unless `options` says not to look).
StudyConfig load_study(const std::filesystem::path& path, const LoadOptions& options = {});

/// Same, from text; `path` names it in errors and anchors relative paths.
StudyConfig parse_study(std::string_view text, const std::filesystem::path& path, const LoadOptions& options = {});

}  // namespace h5tune
