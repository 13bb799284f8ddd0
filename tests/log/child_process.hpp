#pragma once
// A forked child process driven step by step over two pipes: the way to have a writer
// and a reader of one HDF5 file at the same time (HDF5 will not open one file twice in
// one process), and to kill a writer mid-run. Synchronisation is by messages, not sleeps.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <functional>
#include <stdexcept>

namespace h5tune::test {

class ChildProcess {
 public:
  /// Fork and run `body` in the child; the child exits 0 when it returns, 1 when it
  /// throws. The body talks to the parent with child_send()/child_receive().
  explicit ChildProcess(const std::function<void(ChildProcess&)>& body) {
    if (pipe(to_child_) != 0 || pipe(to_parent_) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      close(to_child_[1]);
      close(to_parent_[0]);
      int status = 0;
      try {
        body(*this);
      } catch (const std::exception&) {
        status = 1;
      }
      _exit(status);  // never return into the test framework
    }
    close(to_child_[0]);
    close(to_parent_[1]);
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      wait_status();
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Parent side.
  void send(char c) { (void)!write(to_child_[1], &c, 1); }
  /// The child's next message, or 0 when it exited without sending one.
  char receive() { return read_one(to_parent_[0]); }
  /// waitpid() status of the child.
  int wait_status() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }

  // Child side.
  void child_send(char c) { (void)!write(to_parent_[1], &c, 1); }
  char child_receive() { return read_one(to_child_[0]); }

 private:
  static char read_one(int fd) {
    char c = 0;
    return read(fd, &c, 1) == 1 ? c : 0;
  }
  int to_child_[2] = {-1, -1};
  int to_parent_[2] = {-1, -1};
  pid_t pid_ = -1;
  bool reaped_ = false;
};

}  // namespace h5tune::test
