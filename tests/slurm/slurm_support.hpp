#pragma once
// Shared by the slurm tests: submitting with `h5tune submit` and watching jobs with scontrol
// on the single-node cluster the `slurm` fixture started (SLURM_CONF points at it).
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "e2e/cli_support.hpp"

namespace h5tune::test {

/// The value of `key` in `scontrol show job` output ("JobState", "Restarts"), or "".
inline std::string job_field(const std::string& job_id, const std::string& key) {
  const auto shown = run_process({"scontrol", "show", "job", job_id});
  const std::string& text = shown.output;
  for (std::size_t at = text.find(key + "="); at != std::string::npos; at = text.find(key + "=", at + 1)) {
    const bool starts_field = at == 0 || text[at - 1] == ' ' || text[at - 1] == '\n';
    if (!starts_field) continue;
    const auto begin = at + key.size() + 1;
    return text.substr(begin, text.find_first_of(" \n", begin) - begin);
  }
  return "";
}

/// Polls every 200 ms until `done` holds or `seconds` pass; returns whether it held.
inline bool poll_until(const std::function<bool()>& done, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

/// The job id from `h5tune submit` output ("submitted job 42"), or "" if there is none.
inline std::string submitted_job_id(const std::string& output) {
  const std::string marker = "submitted job ";
  const auto at = output.find(marker);
  if (at == std::string::npos) return "";
  const auto begin = at + marker.size();
  return output.substr(begin, output.find('\n', begin) - begin);
}

/// Job ids in the queue (any state) named `name`, one a line.
inline std::string queued_jobs_named(const std::string& name) {
  return run_process({"squeue", "-h", "-o", "%i", "-n", name}).output;
}

}  // namespace h5tune::test
