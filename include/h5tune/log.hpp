#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "h5tune/space.hpp"
#include "h5tune/trial.hpp"

namespace h5tune {

/// The format version this build writes; readers refuse files with a larger one.
inline constexpr int log_format_version = 1;

/// The kinds of journal events. Stored as these numbers: never renumber.
enum class EventKind : std::uint8_t {
  ask = 0,     ///< trial created by the strategy
  start = 1,   ///< trial handed to a rank
  tell = 2,    ///< trial's result told to the strategy
  run_start = 3,  ///< a run (or a resumed run) began; trial = -1
  run_stop = 4,   ///< a run ended; trial = -1
  retry = 5,      ///< a failed trial runs again (max_retries); its last attempt failed
};
std::string_view to_string(EventKind kind) noexcept;

/// One line of the event journal.
struct Event {
  double time = 0.0;      ///< Unix seconds at rank 0
  EventKind kind = EventKind::ask;
  std::int64_t trial = -1;
  std::int32_t rank = -1;
  friend bool operator==(const Event&, const Event&) = default;
};

/// The facts about a study written once, as root attributes, when the log is created.
struct LogHeader {
  int format_version = log_format_version;
  std::string h5tune_version;
  std::string git_sha;
  std::string study_name;
  std::string study_text;     ///< the study file, verbatim
  std::string study_path;
  std::uint64_t seed = 0;
  std::string strategy;
  std::string direction = "minimize";
  std::string metric = "value";
  std::int64_t max_trials = 0;
  int mpi_size = 1;
  std::vector<std::string> hostnames;  ///< of every rank, in rank order
  std::string slurm_job_id;            ///< empty outside Slurm
  std::string created;                 ///< ISO 8601 UTC
  std::int64_t enqueued = 0;           ///< trials 0..enqueued-1 ran the user's enqueued points
  Space space;
};

/// Writes a study's HDF5 log (docs/log-format.md). Only rank 0 owns one.
///
/// Every dataset is created up front and the file switches to SWMR, so readers can open
/// it while it grows. Rows are buffered in memory and written and flushed together by
/// flush(), which the runtime calls at most once a second while rows are new; a SIGKILLed writer leaves a
/// file holding every flushed row. Trial rows are keyed by id: a trial's row is written
/// when it is created and rewritten at each state change.
class LogWriter {
 public:
  /// Create a new log at `path`. Throws InputError if the file exists and `overwrite` is
  /// false; LogError if HDF5 fails.
  LogWriter(const std::filesystem::path& path, const LogHeader& header, bool overwrite);
  /// Reopen the log at `path`, closed or left behind by a killed writer, to append to it
  /// (`h5tune run --resume`): every row is kept, every table continues where it ends,
  /// host and metric names keep their indices, and the root attribute `resumed` counts
  /// the reopenings. A positive `max_trials` replaces the root attribute of that name (a
  /// resume with a larger budget); 0 keeps it. Never do this while another process still
  /// writes the file. Throws LogFormatError for a file that is not an h5tune log this build
  /// can write, LogError if HDF5 fails.
  static LogWriter reopen(const std::filesystem::path& path, std::int64_t max_trials = 0);
  ~LogWriter();
  LogWriter(LogWriter&&) noexcept;
  LogWriter& operator=(LogWriter&&) noexcept;

  /// Record a trial's current state (a new id appends a row, a known one rewrites it).
  void write_trial(const TrialRecord& trial);
  void write_report(const Report& report);
  void write_event(const Event& event);
  /// Index of `host` in the host table, adding it when new.
  int host_index(const std::string& host);
  /// Write every buffered row and flush the file.
  void flush();
  /// Flush and close; further calls throw. Called by the destructor if needed.
  void close();
  const std::filesystem::path& path() const noexcept;

 private:
  struct Impl;
  explicit LogWriter(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

/// Reads a log, finished or still being written (SWMR). Throws LogFormatError for a file
/// that is missing, not HDF5, not an h5tune log, truncated, or of a newer format.
class LogReader {
 public:
  explicit LogReader(const std::filesystem::path& path);
  ~LogReader();
  LogReader(LogReader&&) noexcept;
  LogReader& operator=(LogReader&&) noexcept;

  const LogHeader& header() const noexcept;
  /// Re-read the sizes of growing datasets (for a live log).
  void refresh();
  std::int64_t trial_count() const;
  /// Trials [first, first+count), clamped to what the file holds. Metrics included.
  std::vector<TrialRecord> trials(std::int64_t first = 0, std::int64_t count = -1) const;
  /// The reports of each trial's logged attempt, in log order: a re-run (resume, retry)
  /// reports its steps again, and the file keeps the earlier attempts' reports too (a log
  /// written before reports carried their attempt: every report).
  std::vector<Report> reports() const;
  /// The same reports, read in slices of bounded size: memory does not grow with the
  /// number of reports (for very large logs).
  void for_each_report(const std::function<void(const Report&)>& visit) const;
  std::vector<Event> events() const;
  std::vector<std::string> hosts() const;
  std::vector<std::string> metric_names() const;
  const std::filesystem::path& path() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace h5tune
