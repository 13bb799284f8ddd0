#pragma once
// Shared pieces of the objective tests: a sample space, a trial on it, a reporter that
// records, and a temporary directory.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "h5tune/objective.hpp"

namespace h5tune::test {

/// lr: log float, layers: int, act: choice (with values that would mean something to a shell).
inline Space sample_space() {
  Space space;
  space.add_float("lr", 1e-5, 1e-1, true);
  space.add_int("layers", 1, 4);
  space.add_choice("act", {"relu", "tanh", "a b; rm -rf / $(touch pwned) 'q' \"dq\" `x`"});
  return space;
}

inline TrialRecord sample_record(std::int64_t id = 12) {
  TrialRecord record;
  record.id = id;
  record.seed = 18446744073709551615ull;
  record.budget = 7;
  record.values = {0.001, 3.0, 1.0};
  return record;
}

/// Records reports in order; stops when told, or after `stop_after_reports` reports.
class RecordingReporter final : public Reporter {
 public:
  std::vector<std::pair<std::int64_t, Metrics>> reports;
  bool stop = false;
  std::size_t stop_after_reports = 0;   // 0: never by count
  bool refuse_report_at_count = false;  // report() itself returns false at that count

  bool report(std::int64_t step, const Metrics& metrics) override {
    reports.emplace_back(step, metrics);
    if (stop_after_reports != 0 && reports.size() >= stop_after_reports) {
      if (refuse_report_at_count) return false;
      stop = true;
    }
    return true;
  }
  bool should_stop() override { return stop; }
};

/// A fresh directory under the system's temporary directory, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "h5tune-obj-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace h5tune::test
