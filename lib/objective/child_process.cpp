#include "objective/child_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "objective/spawn.hpp"

namespace h5tune::objective_detail {
namespace {

std::pair<FileDescriptor, FileDescriptor> make_pipe() {
  int ends[2] = {-1, -1};
  check_posix(::pipe2(ends, O_CLOEXEC), "pipe2");
  return {FileDescriptor(ends[0]), FileDescriptor(ends[1])};
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> result;
  result.reserve(strings.size() + 1);
  for (const auto& s : strings) result.push_back(const_cast<char*>(s.c_str()));
  result.push_back(nullptr);
  return result;
}

int open_exit_descriptor(pid_t pid) {
#ifdef SYS_pidfd_open
  // Linux >= 5.3; without it the caller polls has_exited() instead.
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

pid_t wait_retrying(pid_t pid, int* status, int options) {
  pid_t result;
  do result = ::waitpid(pid, status, options);
  while (result == -1 && errno == EINTR);
  return result;
}

}  // namespace

ChildProcess::~ChildProcess() {
  if (reaped_) return;
  ::kill(-pid_, SIGKILL);
  int status = 0;
  wait_retrying(pid_, &status, 0);
}

int ChildProcess::start(const SpawnRequest& request) {
  auto [out_read, out_write] = make_pipe();
  auto [err_read, err_write] = make_pipe();

  const auto argv = c_strings(request.argv);
  const auto envp = c_strings(request.environment);
  const std::string directory = request.directory.string();
  SpawnPlan plan;
  plan.program = request.program.c_str();
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.directory = directory.c_str();
  plan.stdout_fd = out_write.get();
  plan.stderr_fd = err_write.get();
  const auto [pid, error] = spawn(plan);
  if (error != 0) return error;

  pid_ = pid;
  reaped_ = false;
  stdout_ = std::move(out_read);
  stderr_ = std::move(err_read);
  exit_fd_.reset(open_exit_descriptor(pid));
  return 0;
}

bool ChildProcess::has_exited() {
  siginfo_t info{};
  int result;
  do result = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
  while (result == -1 && errno == EINTR);
  check_posix(result, "waitid");
  return info.si_pid == pid_;
}

void ChildProcess::signal_group(int signal) {
  if (::kill(-pid_, signal) == -1 && errno != ESRCH)
    check_posix(-1, [&] { return fmt::format("kill(-{}, {})", pid_, signal); });
}

int ChildProcess::reap() {
  // The leader is still unreaped here, so the group id cannot name another group yet.
  signal_group(SIGKILL);
  int status = 0;
  check_posix(wait_retrying(pid_, &status, 0), "waitpid");
  reaped_ = true;
  exit_fd_.reset();
  return status;
}

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return fmt::format("exit code {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = sigdescr_np(signal);
    return fmt::format("killed by signal {} ({})", signal, name != nullptr ? name : "unknown");
  }
  return fmt::format("ended with wait status {}", status);
}

bool exited_cleanly(int status) noexcept { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

}  // namespace h5tune::objective_detail
