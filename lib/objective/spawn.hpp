#pragma once
// Starting a trial's program the way posix_spawn does (a vfork-style clone that shares our
// memory until exec), plus the one step posix_spawn cannot take: tying the program's life
// to ours with PR_SET_PDEATHSIG.
#include <sys/types.h>

namespace h5tune::objective_detail {

/// Everything the new process needs, prepared before it is cloned: between the clone and
/// the exec it makes system calls only (no allocation, no lock, no libc state), because it
/// runs on our memory while this thread is suspended.
struct SpawnPlan {
  const char* program = nullptr;  ///< absolute path
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* directory = nullptr;  ///< the working directory
  int stdout_fd = -1;               ///< becomes descriptor 1
  int stderr_fd = -1;               ///< becomes descriptor 2
};

/// The outcome of spawn(): the new pid, or the error number of the step that failed.
struct SpawnResult {
  pid_t pid = -1;
  int error = 0;  ///< 0, or errno of the chdir, exec or another step (the child is reaped)
};

/// Starts plan.program in a new process group (pgid = its pid), stdin from /dev/null,
/// stdout and stderr on the given descriptors, every signal unblocked and at its default
/// disposition (an MPI library's or a test runner's ignored SIGTERM or SIGPIPE would change
/// how the program ends), and PR_SET_PDEATHSIG = SIGKILL: when the calling thread dies,
/// however it dies (SIGKILL, a crash, the OOM killer), the kernel kills the program, so a
/// killed `h5tune run` leaves no trial running that a `--resume` would start again beside
/// it. Processes the program starts itself do not inherit that; a wrapper script should
/// exec its last command.
///
/// The clone is CLONE_VM | CLONE_VFORK, as glibc's posix_spawn (no page is copied, which is
/// what makes it safe in an MPI rank with registered memory, where fork() is not); the
/// calling thread waits until the exec. All signals are blocked across the clone, so no
/// handler of ours runs in the child. Throws ObjectiveError when the clone itself fails.
SpawnResult spawn(const SpawnPlan& plan);

}  // namespace h5tune::objective_detail
