#include "objective/child_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace h5tune::objective_detail {
namespace {

/// posix_spawn's attribute and file-action objects, destroyed on every exit path.
class SpawnSetup {
 public:
  SpawnSetup() {
    check_error_number(posix_spawn_file_actions_init(&actions_), "posix_spawn_file_actions_init");
    if (int err = posix_spawnattr_init(&attributes_); err != 0) {
      posix_spawn_file_actions_destroy(&actions_);
      check_error_number(err, "posix_spawnattr_init");
    }
  }
  ~SpawnSetup() {
    posix_spawnattr_destroy(&attributes_);
    posix_spawn_file_actions_destroy(&actions_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  posix_spawn_file_actions_t* actions() noexcept { return &actions_; }
  posix_spawnattr_t* attributes() noexcept { return &attributes_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
};

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

  SpawnSetup setup;
  auto* actions = setup.actions();
  check_error_number(posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0),
                     "posix_spawn_file_actions_addopen");
  check_error_number(posix_spawn_file_actions_adddup2(actions, out_write.get(), 1),
                     "posix_spawn_file_actions_adddup2");
  check_error_number(posix_spawn_file_actions_adddup2(actions, err_write.get(), 2),
                     "posix_spawn_file_actions_adddup2");
  check_error_number(posix_spawn_file_actions_addchdir_np(actions, request.directory.c_str()),
                     "posix_spawn_file_actions_addchdir_np");

  // A new process group, no blocked signals and default dispositions: the program must
  // not inherit an MPI library's or a test runner's signal setup (an ignored SIGTERM or
  // SIGPIPE would change how it ends).
  auto* attributes = setup.attributes();
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  for (int s = 1; s < 32; ++s)
    if (s != SIGKILL && s != SIGSTOP) sigaddset(&defaults, s);
  check_error_number(posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETPGROUP |
                                                              POSIX_SPAWN_SETSIGMASK |
                                                              POSIX_SPAWN_SETSIGDEF),
                     "posix_spawnattr_setflags");
  check_error_number(posix_spawnattr_setpgroup(attributes, 0), "posix_spawnattr_setpgroup");
  check_error_number(posix_spawnattr_setsigmask(attributes, &empty), "posix_spawnattr_setsigmask");
  check_error_number(posix_spawnattr_setsigdefault(attributes, &defaults),
                     "posix_spawnattr_setsigdefault");

  const auto argv = c_strings(request.argv);
  const auto envp = c_strings(request.environment);
  pid_t pid = -1;
  const int err = ::posix_spawn(&pid, request.program.c_str(), actions, attributes, argv.data(),
                                envp.data());
  if (err != 0) return err;

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
