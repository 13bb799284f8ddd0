#pragma once
// One external program started for a trial, in its own process group so that it and
// everything it starts can be signalled together (libEnsemble's executor does the same).
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "objective/posix.hpp"

namespace h5tune::objective_detail {

/// What to start: an absolute program path, its argv, its whole environment (NAME=value)
/// and its working directory.
struct SpawnRequest {
  std::filesystem::path program;
  std::vector<std::string> argv;
  std::vector<std::string> environment;
  std::filesystem::path directory;
};

/// A child process in a new process group (pgid = its pid), stdin from /dev/null, stdout
/// and stderr on two pipes read by us. Started by spawn() (objective/spawn.hpp): a
/// vfork-style clone, safe in an MPI rank where fork() of a process with registered memory
/// is not, and killed by the kernel if we die first. The destructor SIGKILLs the group and
/// reaps the child if that has not happened yet, so no exit path leaves a process behind.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  /// Starts the program. Returns 0, or the error number of a program that could not be
  /// started (not found, not executable, bad format, directory missing): that is the
  /// trial's failure, not ours. Throws ObjectiveError when a pipe cannot be made.
  int start(const SpawnRequest& request);

  pid_t pid() const noexcept { return pid_; }
  FileDescriptor& stdout_pipe() noexcept { return stdout_; }
  FileDescriptor& stderr_pipe() noexcept { return stderr_; }
  /// A descriptor that polls readable when the child exits (a pidfd), or -1 when the
  /// kernel has none: then callers must poll has_exited() on a short period.
  int exit_descriptor() const noexcept { return exit_fd_.get(); }

  /// True once the child has exited. It stays a zombie (not reaped), so its pid, which is
  /// also the group id, cannot be reused before reap().
  bool has_exited();
  /// Sends `signal` to the whole process group; a group that is already gone is fine.
  void signal_group(int signal);
  /// SIGKILLs whatever is left of the group (grandchildren) and reaps the child, waiting
  /// for it. Returns the wait status.
  int reap();

 private:
  pid_t pid_ = -1;
  bool reaped_ = true;
  FileDescriptor stdout_;
  FileDescriptor stderr_;
  FileDescriptor exit_fd_;
};

/// "exit code 3" or "killed by signal 11 (Segmentation fault)" for a wait status.
std::string describe_exit(int status);
/// True for a wait status of a normal exit with code 0.
bool exited_cleanly(int status) noexcept;

}  // namespace h5tune::objective_detail
