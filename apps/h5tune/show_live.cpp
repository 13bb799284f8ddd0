#include "show_live.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <iostream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "cli_errors.hpp"

namespace h5tune::cli {
namespace {

std::atomic<bool> stop_requested{false};
extern "C" void on_stop(int) { stop_requested.store(true); }

std::string clock_text() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return fmt::format("{:02}:{:02}:{:02} UTC", utc.tm_hour, utc.tm_min, utc.tm_sec);
}

/// Sleeps up to `seconds` in short slices; false when a stop was requested meanwhile.
bool pause(double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (stop_requested.load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return !stop_requested.load();
}

}  // namespace

bool run_finished(const LogReader& log) {
  bool finished = false;
  for (const auto& e : log.events()) {
    if (e.kind == EventKind::run_start) finished = false;
    if (e.kind == EventKind::run_stop) finished = true;
  }
  return finished;
}

int show_live(const std::string& path, double interval_seconds,
              const std::function<void(std::ostream&, const LogReader&)>& summary) {
  struct sigaction action {};
  action.sa_handler = on_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  const bool terminal = isatty(STDOUT_FILENO) == 1;
  std::string previous;
  for (;;) {
    // A fresh reader each time: it sees the writer's latest flush, datasets and all.
    const LogReader log(path);
    const bool finished = run_finished(log);
    std::ostringstream text;
    summary(text, log);
    if (terminal) {
      // Home the cursor and clear the screen, then draw the whole summary again.
      std::cout << "\x1b[H\x1b[2J" << text.str()
                << fmt::format("\n{} at {}; {}\n", finished ? "finished" : "running", clock_text(),
                               finished ? "done" : fmt::format("redrawn every {:g} s, Ctrl-C to stop", interval_seconds))
                << std::flush;
    } else if (text.str() != previous || finished) {
      std::cout << fmt::format("--- {} ({}) ---\n", clock_text(), finished ? "finished" : "running") << text.str() << std::flush;
    }
    previous = text.str();
    if (finished || !pause(interval_seconds)) break;
  }
  return exit_ok;
}

}  // namespace h5tune::cli
