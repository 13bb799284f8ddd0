#pragma once
// Waiting for a log or an output file that another process writes: polling with a
// deadline, never a bare sleep.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "e2e/cli_support.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {

/// Polls the log until `ready(trials)` holds; true when it did before `seconds` passed.
template <class Ready>
bool wait_for_log(const std::filesystem::path& log, double seconds, Ready ready) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (ready(LogReader(log).trials())) return true;
    } catch (const LogFormatError&) {
      // not created yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

inline std::int64_t count_finished(const std::vector<TrialRecord>& trials) {
  std::int64_t finished = 0;
  for (const auto& t : trials) finished += is_finished(t.state) ? 1 : 0;
  return finished;
}

/// Polls until the log holds at least `trials` finished trials; returns how many it holds,
/// or -1 when `seconds` passed first.
inline std::int64_t wait_for_finished(const std::filesystem::path& log, std::int64_t trials, double seconds) {
  std::int64_t finished = -1;
  const bool ok = wait_for_log(log, seconds, [&](const std::vector<TrialRecord>& all) {
    finished = count_finished(all);
    return finished >= trials;
  });
  return ok ? finished : -1;
}

/// Polls `file` until `text` occurs in it at least `times` times; true when it did before
/// `seconds` passed.
inline bool wait_for_text(const std::filesystem::path& file, const std::string& text, std::size_t times,
                          double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string content = read_file(file);
    std::size_t found = 0;
    for (auto at = content.find(text); at != std::string::npos; at = content.find(text, at + text.size())) ++found;
    if (found >= times) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace h5tune::test
