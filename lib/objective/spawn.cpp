#include "objective/spawn.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <type_traits>

#include "objective/posix.hpp"

namespace h5tune::objective_detail {
namespace {

/// The kernel's signal set size (64 signals), for the raw rt_sig* calls.
constexpr long kernel_sigset_bytes = 8;
/// Code the child runs before its exec: inlined into child_main, and like it without
/// sanitizer instrumentation (GCC and Clang both read this spelling).
#define CHILD_SIDE __attribute__((always_inline, no_sanitize("address", "undefined")))

/// A null pointer argument of a raw system call.
constexpr long no_pointer = 0;
/// The child's stack: a few frames of system-call wrappers.
constexpr std::size_t child_stack_bytes = 64 * 1024;

/// What the child reads (the plan and our pid) and writes (a failed step's errno). It lives
/// in our memory, which the child shares until its exec.
struct ChildContext {
  const SpawnPlan* plan;
  pid_t parent;
  int error;
};

/// A system call's argument as a full register: a negative int such as AT_FDCWD must be
/// sign-extended.
template <class T>
CHILD_SIDE inline long as_register(T value) {
  if constexpr (std::is_pointer_v<T>) return reinterpret_cast<long>(value);
  else return static_cast<long>(value);
}

/// A raw system call, for the child: glibc's wrappers may be intercepted by a sanitizer's
/// runtime, which must not run there. A failure sets errno, the suspended thread's (the
/// child shares its thread-local storage), which the parent does not read.
template <class... Args>
CHILD_SIDE inline long child_call(long number, Args... args) {
  return ::syscall(number, as_register(args)...);
}

/// Ends the child after a failed step, leaving its errno where the parent reads it.
CHILD_SIDE inline int child_fail(ChildContext* ctx) {
  ctx->error = errno != 0 ? errno : EINVAL;
  ::syscall(SYS_exit, 127);
  return 127;
}

/// The child between clone and exec: system calls only, no sanitizer instrumentation (it
/// runs on a stack the sanitizers do not know, in our address space). Every failure ends
/// the child with the errno in ctx->error, which the parent reads once the clone returns.
__attribute__((no_sanitize("address", "undefined"))) int child_main(void* arg) {
  auto* ctx = static_cast<ChildContext*>(arg);
  const SpawnPlan& plan = *ctx->plan;
  // SIG_DFL with no flags and an empty mask is an all-zero kernel sigaction on every
  // architecture's layout.
  const unsigned long default_action[4] = {0, 0, 0, 0};
  for (int s = 1; s < 32; ++s)
    if (s != SIGKILL && s != SIGSTOP &&
        child_call(SYS_rt_sigaction, s, default_action, no_pointer, kernel_sigset_bytes) == -1)
      return child_fail(ctx);
  if (child_call(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1) return child_fail(ctx);
  // We may have died before the prctl: then no signal comes, and the program must not run.
  if (child_call(SYS_getppid) != ctx->parent) {
    errno = ESRCH;
    return child_fail(ctx);
  }
  if (child_call(SYS_setpgid, 0, 0) == -1) return child_fail(ctx);
  const long null = child_call(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY, 0);
  if (null == -1) return child_fail(ctx);
  const long moves[3][2] = {{null, 0}, {plan.stdout_fd, 1}, {plan.stderr_fd, 2}};
  for (const auto& move : moves) {
    // dup3 refuses equal descriptors; then only the close-on-exec flag must go.
    const long r = move[0] == move[1] ? child_call(SYS_fcntl, move[1], F_SETFD, 0)
                                      : child_call(SYS_dup3, move[0], move[1], 0);
    if (r == -1) return child_fail(ctx);
  }
  if (null != 0) child_call(SYS_close, null);
  if (child_call(SYS_chdir, plan.directory) == -1) return child_fail(ctx);
  const unsigned long empty_mask = 0;
  if (child_call(SYS_rt_sigprocmask, SIG_SETMASK, &empty_mask, no_pointer, kernel_sigset_bytes) == -1)
    return child_fail(ctx);
  child_call(SYS_execve, plan.program, plan.argv, plan.envp);
  return child_fail(ctx);
}

/// The child's stack, unmapped on every exit path.
class ChildStack {
 public:
  ChildStack() : base_(::mmap(nullptr, child_stack_bytes, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0)) {
    if (base_ == MAP_FAILED) check_posix(-1, "mmap of the child's stack");
  }
  ~ChildStack() { ::munmap(base_, child_stack_bytes); }
  ChildStack(const ChildStack&) = delete;
  ChildStack& operator=(const ChildStack&) = delete;
  /// The stack grows down on every Linux architecture this builds on.
  void* top() const noexcept { return static_cast<char*>(base_) + child_stack_bytes; }

 private:
  void* base_;
};

/// Blocks every signal in this thread for its lifetime: a handler of ours must not run in
/// the child, on our memory, before the child has reset the dispositions.
class AllSignalsBlocked {
 public:
  AllSignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    check_error_number(::pthread_sigmask(SIG_SETMASK, &all, &saved_), "pthread_sigmask");
  }
  ~AllSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  AllSignalsBlocked(const AllSignalsBlocked&) = delete;
  AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

 private:
  sigset_t saved_;
};

#undef CHILD_SIDE

}  // namespace

SpawnResult spawn(const SpawnPlan& plan) {
  ChildStack stack;
  ChildContext ctx{&plan, ::getpid(), 0};
  pid_t pid;
  {
    AllSignalsBlocked blocked;
    pid = ::clone(child_main, stack.top(), CLONE_VM | CLONE_VFORK | SIGCHLD, &ctx);
  }
  check_posix(pid, "clone of the trial's process");
  if (ctx.error == 0) return {pid, 0};
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  return {-1, ctx.error};
}

}  // namespace h5tune::objective_detail
