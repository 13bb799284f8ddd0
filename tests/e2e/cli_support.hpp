#pragma once
// Shared by the end-to-end tests: study files written into a temp dir, and the h5tune binary.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace h5tune::test {

inline const std::string cli = H5TUNE_CLI;
inline const std::string objective_script = std::string(H5TUNE_TEST_DATA_DIR) + "/quadratic.sh";
inline const std::string mpi_env = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ";

/// A study over x (float), n (int), act (choice) whose command is tests/e2e/data/quadratic.sh;
/// `pause` is its fourth argument: seconds per trial, or a hold file (see held_study_text).
inline std::string study_text_pausing(int max_trials, const std::string& strategy, const std::string& pause,
                                      const std::string& extra_study_keys) {
  return fmt::format(R"([study]
name = "e2e"
direction = "minimize"
metric = "loss"
seed = 11
max_trials = {}
log = "run.h5"
{}
[strategy]
kind = "{}"

[objective]
command = ["sh", "{}", "{{x}}", "{{n}}", "{{act}}", "{}"]
timeout = "20s"

[space]
x   = {{ float = [-4.0, 4.0] }}
n   = {{ int = [0, 4] }}
act = {{ choice = ["relu", "tanh"] }}
)",
                     max_trials, extra_study_keys, strategy, objective_script, pause);
}

/// The study of study_text_pausing with `pause` seconds per trial.
inline std::string study_text(int max_trials, const std::string& strategy = "random", double pause = 0.0,
                              const std::string& extra_study_keys = "") {
  return study_text_pausing(max_trials, strategy, fmt::format("{}", pause), extra_study_keys);
}

/// A random study whose trials from the id written in `hold` on do not end while that file
/// exists: a run that stays live until the test lets it go, however slow the build.
inline std::string held_study_text(int max_trials, const std::filesystem::path& hold) {
  return study_text_pausing(max_trials, "random", std::filesystem::absolute(hold).string(), "");
}

inline std::string write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path.string();
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      out.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace h5tune::test
