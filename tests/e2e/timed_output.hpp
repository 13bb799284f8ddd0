#pragma once
// Runs a command with its output on a pseudo-terminal or on a pipe, and keeps when each
// piece of output arrived: what the progress test needs to check a redraw rate.
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace h5tune::test {

struct TimedChunk {
  double seconds = 0;  ///< since the start, when the reader got it
  std::string text;
};

struct TimedRun {
  int exit_code = -1;
  double seconds = 0;  ///< start to end of output
  std::vector<TimedChunk> chunks;

  std::string text() const {
    std::string all;
    for (const auto& c : chunks) all += c.text;
    return all;
  }
  /// When the chunk holding byte `offset` of text() arrived.
  double arrival(std::size_t offset) const {
    for (const auto& c : chunks) {
      if (offset < c.text.size()) return c.seconds;
      offset -= c.text.size();
    }
    return seconds;
  }
};

/// Runs argv with stdout and stderr on one pseudo-terminal (terminal = true, so isatty()
/// holds in the child) or one pipe, reading until the child closes it.
inline TimedRun run_timed(const std::vector<std::string>& argv, bool terminal) {
  const auto start = std::chrono::steady_clock::now();
  int fd = -1;
  pid_t pid = -1;
  if (terminal) {
    pid = forkpty(&fd, nullptr, nullptr, nullptr);
  } else {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    pid = fork();
    if (pid == 0) {
      dup2(pipe_fds[1], STDOUT_FILENO);
      dup2(pipe_fds[1], STDERR_FILENO);
      close(pipe_fds[0]);
      close(pipe_fds[1]);
    } else {
      close(pipe_fds[1]);
      fd = pipe_fds[0];
    }
  }
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  TimedRun run;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // a pty's master reads EIO once the child has closed it
    const std::chrono::duration<double> since = std::chrono::steady_clock::now() - start;
    run.chunks.push_back({since.count(), std::string(buffer, static_cast<std::size_t>(n))});
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

}  // namespace h5tune::test
