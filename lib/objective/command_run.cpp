#include "objective/command_run.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace h5tune::objective_detail {
namespace {

using namespace std::chrono_literals;

// How long a quiet program may go unwatched: bounds the delay of a stop request and of
// a timeout's SIGTERM.
constexpr auto poll_period = 50ms;
// Without a pidfd, a child whose pipes are closed is checked for exit this often.
constexpr auto exit_poll_period = 5ms;
// After the program exited, how long output still in the pipes is read. Its group is dead
// by then; a process that left the group (setsid) may hold the pipes open forever.
constexpr auto drain_limit = 200ms;

int milliseconds_until(std::chrono::steady_clock::time_point until) {
  const auto left = until - std::chrono::steady_clock::now();
  if (left <= 0ms) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

}  // namespace

CommandRun::CommandRun(const CommandSpec& spec, const std::vector<CompiledRegexMetric>& regex_metrics,
                       Reporter& reporter, const std::filesystem::path& directory,
                       ChildProcess& child)
    : spec_(spec),
      reporter_(reporter),
      child_(child),
      buffer_(64 * 1024),
      metrics_(regex_metrics),
      stderr_tail_(spec.stderr_tail_bytes),
      out_(child.stdout_pipe(), directory / "stdout.log", "stdout"),
      err_(child.stderr_pipe(), directory / "stderr.log", "stderr") {}

Outcome CommandRun::supervise() {
  const auto start = Clock::now();
  std::optional<Clock::time_point> deadline;
  if (spec_.timeout.count() > 0) deadline = start + spec_.timeout;

  while (true) {
    if (ending_ == Ending::running) {
      if (stop_from_report_ || reporter_.should_stop()) begin_ending(Ending::stop_requested);
      else if (deadline && Clock::now() >= *deadline) begin_ending(Ending::timed_out);
    }
    if (kill_at_ && Clock::now() >= *kill_at_) {
      child_.signal_group(SIGKILL);
      kill_at_.reset();
    }
    if (child_.has_exited()) break;
    auto until = Clock::now() + poll_period;
    if (ending_ == Ending::running && deadline) until = std::min(until, *deadline);
    if (kill_at_) until = std::min(until, *kill_at_);
    wait_and_read(until, true);
  }
  const int status = child_.reap();
  drain_after_exit();
  for (Stream* stream : {&out_, &err_})
    stream->lines.finish([&](std::string_view line, bool truncated) {
      on_line(line, truncated, stream->name);
    });
  return outcome(status);
}

void CommandRun::begin_ending(Ending why) {
  ending_ = why;
  if (spec_.kill_grace.count() <= 0) {
    child_.signal_group(SIGKILL);
    return;
  }
  child_.signal_group(SIGTERM);
  kill_at_ = Clock::now() + spec_.kill_grace;
}

void CommandRun::wait_and_read(Clock::time_point until, bool watch_exit) {
  pollfd fds[3];
  Stream* streams[2] = {nullptr, nullptr};
  nfds_t count = 0;
  for (Stream* stream : {&out_, &err_})
    if (stream->pipe->is_open()) {
      streams[count] = stream;
      fds[count++] = {stream->pipe->get(), POLLIN, 0};
    }
  const nfds_t pipes = count;
  int timeout = milliseconds_until(until);
  if (watch_exit) {
    if (child_.exit_descriptor() >= 0) fds[count++] = {child_.exit_descriptor(), POLLIN, 0};
    else if (pipes == 0) timeout = std::min(timeout, static_cast<int>(exit_poll_period.count()));
  }
  const int ready = ::poll(fds, count, timeout);
  if (ready == -1 && errno == EINTR) return;  // the caller loops and looks again
  check_posix(ready, "poll");
  for (nfds_t i = 0; i < pipes; ++i)
    if (fds[i].revents != 0) read_from(*streams[i]);
}

void CommandRun::read_from(Stream& stream) {
  ssize_t n;
  do n = ::read(stream.pipe->get(), buffer_.data(), buffer_.size());
  while (n == -1 && errno == EINTR);
  check_posix(n, [&] { return fmt::format("reading the program's {}", stream.name); });
  if (n == 0) {
    stream.pipe->reset();
    return;
  }
  const std::string_view bytes(buffer_.data(), static_cast<std::size_t>(n));
  stream.log.write(bytes);
  if (&stream == &err_) stderr_tail_.append(bytes);
  stream.lines.feed(bytes, [&](std::string_view line, bool truncated) {
    on_line(line, truncated, stream.name);
  });
}

void CommandRun::on_line(std::string_view line, bool truncated, std::string_view source) {
  const auto report = metrics_.read_line(line, truncated, source);
  if (!report || ending_ != Ending::running || stop_from_report_) return;
  if (!reporter_.report(*report->step, report->metrics)) stop_from_report_ = true;
}

void CommandRun::drain_after_exit() {
  const auto until = Clock::now() + drain_limit;
  while ((out_.pipe->is_open() || err_.pipe->is_open()) && Clock::now() < until)
    wait_and_read(until, false);
  out_.pipe->reset();
  err_.pipe->reset();
}

Outcome CommandRun::outcome(int status) const {
  Outcome result;
  result.metrics = metrics_.final_metrics();
  result.stderr_tail = stderr_tail_.text();
  if (ending_ == Ending::stop_requested) {
    result.state = TrialState::pruned;
    result.message = stop_request_message;
  } else if (ending_ == Ending::timed_out) {
    result.state = TrialState::failed;
    result.message = fmt::format("timed out after {:g} s",
                                 static_cast<double>(spec_.timeout.count()) / 1000.0);
  } else if (!exited_cleanly(status)) {
    result.state = TrialState::failed;
    result.message = describe_exit(status);
  }
  if (const std::string warnings = metrics_.warnings(); !warnings.empty())
    result.message += (result.message.empty() ? "warnings: " : "; warnings: ") + warnings;
  return result;
}

}  // namespace h5tune::objective_detail
