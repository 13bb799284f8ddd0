#pragma once
// Waiting for a log that another process writes: polling with a deadline, never a bare sleep.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <thread>

#include "h5tune/error.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {

/// Polls until the log holds at least `trials` finished trials; returns how many it holds,
/// or -1 when `seconds` passed first.
inline std::int64_t wait_for_finished(const std::filesystem::path& log, std::int64_t trials, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      LogReader reader(log);
      std::int64_t finished = 0;
      for (const auto& t : reader.trials()) finished += is_finished(t.state) ? 1 : 0;
      if (finished >= trials) return finished;
    } catch (const LogFormatError&) {
      // not created yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

}  // namespace h5tune::test
