#include "objective/leftover_processes.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace h5tune::objective_detail {
namespace {

/// How long the killed processes get to disappear: a SIGKILL takes effect at once, but an
/// exiting process may still be closing files (NFS, a GPU context).
constexpr auto exit_wait = std::chrono::seconds(5);

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The pid a /proc entry names, or 0 for the entries that are not processes.
pid_t pid_of(const std::filesystem::path& entry) {
  const std::string name = entry.filename().string();
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
  return error == std::errc() && end == name.data() + name.size() ? pid : 0;
}

/// True when the NUL-separated environment holds exactly `entry`.
bool holds_entry(const std::string& environment, const std::string& entry) {
  for (std::size_t at = 0; at < environment.size();) {
    const std::size_t end = std::min(environment.find('\0', at), environment.size());
    if (environment.compare(at, end - at, entry) == 0) return true;
    at = end + 1;
  }
  return false;
}

/// Gone, or a zombie (an orphan's new parent may be an init that does not reap).
bool has_ended(pid_t pid) {
  const std::string stat = read_whole(std::filesystem::path("/proc") / std::to_string(pid) / "stat");
  const std::size_t state = stat.rfind(") ");
  return stat.empty() || (state != std::string::npos && state + 2 < stat.size() && stat[state + 2] == 'Z');
}

}  // namespace

std::size_t kill_leftover_processes(const std::filesystem::path& trial_dir) {
  const std::string entry = "H5TUNE_TRIAL_DIR=" + trial_dir.string();
  const pid_t self = ::getpid();
  std::vector<pid_t> killed;
  // Without /proc (or on an error while listing it) there is nothing to find: best effort.
  std::error_code ec;
  for (std::filesystem::directory_iterator proc("/proc", ec), end; !ec && proc != end; proc.increment(ec)) {
    const pid_t pid = pid_of(proc->path());
    if (pid <= 0 || pid == self) continue;
    // An unreadable environment (another user's process, one that just ended) is empty.
    if (!holds_entry(read_whole(proc->path() / "environ"), entry)) continue;
    if (::kill(pid, SIGKILL) == 0) killed.push_back(pid);
  }
  const auto deadline = std::chrono::steady_clock::now() + exit_wait;
  while (!std::all_of(killed.begin(), killed.end(), has_ended) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return killed.size();
}

}  // namespace h5tune::objective_detail
