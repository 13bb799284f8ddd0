#pragma once
// Supervises one started external program until it is gone.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "h5tune/command.hpp"
#include "objective/child_process.hpp"
#include "objective/metric_collector.hpp"
#include "objective/output_stream.hpp"

namespace h5tune::objective_detail {

/// Runs the loop of one trial's program: polls its two pipes (and its exit) with a period
/// of at most 50 ms, copies the output to stdout.log / stderr.log in the trial directory
/// (16 MiB each at most), feeds every line of both streams to a MetricCollector, forwards
/// step reports to the Reporter, and asks Reporter::should_stop on every iteration.
/// On a stop request or a timeout the process group gets SIGTERM, then SIGKILL after the
/// grace period. When the program has exited, its group is SIGKILLed (grandchildren) and
/// it is reaped; the pipes are then drained for at most 200 ms, since a process that
/// escaped the group may hold them open forever.
class CommandRun {
 public:
  /// Creates stdout.log and stderr.log in `directory` for the already started `child`.
  CommandRun(const CommandSpec& spec, const std::vector<CompiledRegexMetric>& regex_metrics,
             Reporter& reporter, const std::filesystem::path& directory, ChildProcess& child);
  /// Supervises the child to its end (reaped, group killed) and says how the trial ended.
  Outcome supervise();

  static constexpr std::size_t max_line_bytes = 64 * 1024;
  static constexpr std::size_t max_log_bytes = 16 * 1024 * 1024;

 private:
  using Clock = std::chrono::steady_clock;
  enum class Ending { running, stop_requested, timed_out };

  struct Stream {
    Stream(FileDescriptor& pipe_fd, const std::filesystem::path& log_path, std::string_view stream_name)
        : pipe(&pipe_fd), lines(max_line_bytes), log(log_path, max_log_bytes), name(stream_name) {}
    FileDescriptor* pipe;
    LineSplitter lines;
    CappedLogFile log;
    std::string_view name;
  };

  void begin_ending(Ending why);
  /// Waits until `until` for output (and for the child's exit when `watch_exit`), and
  /// reads what is ready.
  void wait_and_read(Clock::time_point until, bool watch_exit);
  void read_from(Stream& stream);
  void on_line(std::string_view line, bool truncated, std::string_view source);
  void drain_after_exit();
  Outcome outcome(int status) const;

  const CommandSpec& spec_;
  Reporter& reporter_;
  ChildProcess& child_;
  std::vector<char> buffer_;
  MetricCollector metrics_;
  TailBuffer stderr_tail_;
  Stream out_;
  Stream err_;
  Ending ending_ = Ending::running;
  bool stop_from_report_ = false;
  std::optional<Clock::time_point> kill_at_;
};

}  // namespace h5tune::objective_detail
