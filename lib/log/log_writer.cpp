#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "log/dynamic_compound.hpp"
#include "log/growing_table.hpp"
#include "log/hdf5_check.hpp"
#include "log/header_io.hpp"
#include "log/log_schema.hpp"
#include "log/params_layout.hpp"
#include "log/staged_file.hpp"
#include "log/writer_lock.hpp"

namespace h5tune {
namespace {

using hdf5::check;
using hdf5::GrowingTable;

// Rows per chunk: a flush rewrites every chunk it touches, so chunks stay small enough
// that a flush of a few rows is cheap, and large enough that a 1e6-trial log has few
// (docs/log-format.md, bench/log_bench.cpp).
constexpr hsize_t trial_chunk_rows = 256;
constexpr hsize_t long_chunk_rows = 1024;
constexpr hsize_t stderr_chunk_rows = 16;
constexpr hsize_t name_chunk_rows = 64;

void check_target(const std::filesystem::path& path, bool overwrite) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    // A directory first: "log exists; use --force" would be wrong advice for it.
    if (std::filesystem::is_directory(path, ec))
      throw InputError(fmt::format("{}: is a directory, not a log file", path.string()));
    if (!overwrite)
      throw LogExistsError(path.string());
  }
  const auto dir = path.parent_path();
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
    throw InputError(fmt::format("{}: directory {} does not exist", path.string(), dir.string()));
}

/// Creates the file at `at` (the staging path); messages name the log's `path`.
hdf5::File create_file(const std::filesystem::path& path, const std::filesystem::path& at) {
  const std::string what = fmt::format("creating log {}", path.string());
  hdf5::PropertyList fapl(check(H5Pcreate(H5P_FILE_ACCESS), what));
  // SWMR needs the latest file format; it also makes a SIGKILLed file readable.
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST), what);
  check(H5Pset_file_locking(fapl.get(), false, true), what);  // WriterLock instead
  return hdf5::File(check(H5Fcreate(at.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get()), what));
}

/// Open an existing log read-write for appending. A writer killed while SWMR writing
/// leaves the superblock's "open for writing" flags set; HDF5 then refuses every
/// read-write open, so they are cleared as `h5clear -s` does (HDF5's
/// "clear_status_flags" file access property).
/// Takes the writer's `lock` before HDF5 touches the file: a second writer must not.
hdf5::File open_for_append(const std::filesystem::path& path, logfmt::WriterLock& lock) {
  const auto refuse = [&](const std::string& why) { throw LogFormatError(fmt::format("{}: {}", path.string(), why)); };
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) refuse("no such log file");
  if (H5Fis_hdf5(path.c_str()) <= 0) refuse("not an HDF5 file, so not an h5tune log");
  lock = logfmt::WriterLock(path);
  const std::string what = fmt::format("reopening log {}", path.string());
  hdf5::PropertyList fapl(check(H5Pcreate(H5P_FILE_ACCESS), what));
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST), what);
  hbool_t clear = 1;
  if (H5Pexist(fapl.get(), "clear_status_flags") > 0) check(H5Pset(fapl.get(), "clear_status_flags", &clear), what);
  check(H5Pset_file_locking(fapl.get(), false, true), what);  // WriterLock instead
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
  if (id < 0) refuse(fmt::format("cannot open it for writing: {}", hdf5::error_stack_text()));
  hdf5::File file(id);
  const auto version = logfmt::read_format_version(file.get());
  if (!version) refuse("not an h5tune log (no format_version attribute)");
  if (*version != log_format_version)
    refuse(fmt::format("written in log format {}; this build appends to format {} only", *version, log_format_version));
  return file;
}

/// The root attribute `max_trials` becomes the resumed run's budget (before SWMR writing
/// starts, which allows no attribute changes).
void update_max_trials(hid_t file, std::int64_t max_trials) {
  const std::string what = "updating attribute max_trials";
  hdf5::Attribute attr(check(H5Aopen(file, "max_trials", H5P_DEFAULT), what));
  check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &max_trials), what);
}

/// Add one to the root attribute `resumed` (created as 1).
void count_resume(hid_t file) {
  const char* name = "resumed";
  const std::string what = "counting the resume in attribute resumed";
  int count = 0;
  if (check(H5Aexists(file, name), what) > 0) {
    hdf5::Attribute attr(check(H5Aopen(file, name, H5P_DEFAULT), what));
    logfmt::require_one_value(attr.get(), name);
    check(H5Aread(attr.get(), H5T_NATIVE_INT, &count), what);
    ++count;
    check(H5Awrite(attr.get(), H5T_NATIVE_INT, &count), what);
    return;
  }
  count = 1;
  hdf5::Dataspace space(check(H5Screate(H5S_SCALAR), what));
  hdf5::Attribute attr(check(H5Acreate2(file, name, H5T_NATIVE_INT, space.get(), H5P_DEFAULT, H5P_DEFAULT), what));
  check(H5Awrite(attr.get(), H5T_NATIVE_INT, &count), what);
}

template <class Row>
GrowingTable create_table(hid_t file, const char* path, hdf5::Datatype mem_type, hsize_t chunk_rows) {
  Row fill;
  logfmt::make_unwritten(fill);
  const hid_t file_type = mem_type.get();
  return GrowingTable::create(file, path, std::move(mem_type), file_type, &fill, chunk_rows);
}

}  // namespace

struct LogWriter::Impl {
  std::filesystem::path path;
  logfmt::WriterLock lock;  // before `file`: released only after the file is closed
  hdf5::File file;
  logfmt::ParamsLayout params_layout;
  GrowingTable trials, params, metrics, stderr_tails, reports, events, hosts, metric_names;

  std::unordered_map<std::string, int> host_ids;
  std::vector<logfmt::NameRow> new_hosts;
  std::unordered_map<std::string, std::int32_t> metric_ids;
  std::vector<logfmt::NameRow> new_metric_names;

  // Trials written since the last flush: only their latest state is kept.
  std::unordered_map<std::int64_t, std::size_t> dirty_slot;
  std::vector<logfmt::TrialRow> dirty_rows;
  std::vector<std::byte> dirty_params;
  std::vector<logfmt::MetricRow> new_metrics;
  std::vector<logfmt::StderrRow> new_stderr;
  std::vector<logfmt::ReportRow> new_reports;
  std::vector<logfmt::EventRow> new_events;

  /// Reopen (LogWriter::reopen): open every table and learn the names already stored.
  /// `choice_sizes` are the file's categorical field sizes, so no choice is cut.
  Impl(std::filesystem::path p, logfmt::WriterLock l, hdf5::File f, const Space& space,
       std::vector<std::size_t> choice_sizes, std::int64_t max_trials)
      : path(std::move(p)), lock(std::move(l)), file(std::move(f)), params_layout(space, std::move(choice_sizes)) {
    namespace p5 = logfmt::path;
    const hid_t h = file.get();
    trials = GrowingTable::open(h, p5::trials_table, logfmt::trial_row_type());
    if (!params_layout.empty()) params = GrowingTable::open(h, p5::trials_params, params_layout.type());
    metrics = GrowingTable::open(h, p5::trials_metrics, logfmt::metric_row_type());
    stderr_tails = GrowingTable::open(h, p5::trials_stderr, logfmt::stderr_row_type());
    // A log written before reports carried their attempt keeps its layout.
    reports = GrowingTable::open(h, p5::reports, logfmt::report_row_type(hdf5::has_member(h, p5::reports, "attempt")));
    events = GrowingTable::open(h, p5::events, logfmt::event_row_type());
    hosts = GrowingTable::open(h, p5::hosts, logfmt::name_row_type());
    metric_names = GrowingTable::open(h, p5::metric_names, logfmt::name_row_type());
    learn_names(hosts, host_ids);
    learn_names(metric_names, metric_ids);
    count_resume(h);
    if (max_trials > 0) update_max_trials(h, max_trials);
    check(H5Fstart_swmr_write(h), fmt::format("starting SWMR writing of {}", path.string()));
  }

  /// Map each stored name to its row. A name cut to name_size bytes maps under its cut
  /// text, so the full name gets a new row if it comes again: readers map rows to names
  /// and lose nothing.
  template <class Index>
  static void learn_names(const GrowingTable& table, std::unordered_map<std::string, Index>& ids) {
    std::vector<logfmt::NameRow> rows(table.size());
    table.read(0, rows.size(), rows.data());
    for (std::size_t i = 0; i < rows.size(); ++i)
      ids.try_emplace(logfmt::read_text(rows[i].name, sizeof rows[i].name), static_cast<Index>(i));
  }

  // Reused between flushes to keep flush() free of allocations in steady state.
  std::vector<std::pair<std::int64_t, std::size_t>> order;
  std::vector<logfmt::TrialRow> staged_rows;
  std::vector<std::byte> staged_params;
  std::vector<hdf5::RowRun> runs;

  /// Create (LogWriter's constructor): every table at the staging path `at`, then SWMR.
  Impl(std::filesystem::path p, const std::filesystem::path& at, const LogHeader& header)
      : path(std::move(p)), file(create_file(path, at)), params_layout(header.space) {
    lock = logfmt::WriterLock(at);
    logfmt::write_header(file.get(), header);
    const std::string what = fmt::format("creating {} in {}", logfmt::path::trials_group, path.string());
    hdf5::Group(check(H5Gcreate2(file.get(), logfmt::path::trials_group, H5P_DEFAULT, H5P_DEFAULT,
                                 H5P_DEFAULT),
                      what));
    namespace p5 = logfmt::path;
    trials = create_table<logfmt::TrialRow>(file.get(), p5::trials_table, logfmt::trial_row_type(), trial_chunk_rows);
    if (!params_layout.empty()) {
      std::vector<std::byte> fill(params_layout.row_size());
      params_layout.encode({}, fill.data());
      const auto mem_type = params_layout.type();
      params = GrowingTable::create(file.get(), p5::trials_params, params_layout.type(),
                                    mem_type.get(), fill.data(), long_chunk_rows);
    }
    metrics = create_table<logfmt::MetricRow>(file.get(), p5::trials_metrics, logfmt::metric_row_type(), long_chunk_rows);
    stderr_tails = create_table<logfmt::StderrRow>(file.get(), p5::trials_stderr, logfmt::stderr_row_type(), stderr_chunk_rows);
    reports = create_table<logfmt::ReportRow>(file.get(), p5::reports, logfmt::report_row_type(), long_chunk_rows);
    events = create_table<logfmt::EventRow>(file.get(), p5::events, logfmt::event_row_type(), long_chunk_rows);
    hosts = create_table<logfmt::NameRow>(file.get(), p5::hosts, logfmt::name_row_type(), name_chunk_rows);
    metric_names = create_table<logfmt::NameRow>(file.get(), p5::metric_names, logfmt::name_row_type(),
                                                 name_chunk_rows);
    // Every dataset exists now: readers opened from here on see them all.
    check(H5Fstart_swmr_write(file.get()),
          fmt::format("starting SWMR writing of {}", path.string()));
  }

  std::int32_t metric_index(const std::string& name) {
    // New names go after the rows stored and buffered (a reopened table may hold repeats).
    const auto next = static_cast<std::int32_t>(metric_names.size() + new_metric_names.size());
    const auto [it, added] = metric_ids.try_emplace(name, next);
    if (added) {
      logfmt::NameRow row;
      logfmt::copy_text(row.name, sizeof row.name, name);
      new_metric_names.push_back(row);
    }
    return it->second;
  }

  void add_trial(const TrialRecord& t) {
    if (t.id < 0) throw LogError(fmt::format("{}: cannot log trial id {}", path.string(), t.id));
    const auto [it, added] = dirty_slot.try_emplace(t.id, dirty_rows.size());
    if (added) {
      logfmt::append_zeroed(dirty_rows);
      dirty_params.resize(dirty_params.size() + params_layout.row_size());
    }
    const std::size_t slot = it->second;
    params_layout.encode(t.values, dirty_params.data() + slot * params_layout.row_size());
    logfmt::TrialRow& row = dirty_rows[slot];
    row.id = t.id;
    row.state = static_cast<std::uint8_t>(t.state);
    row.seed = t.seed;
    row.rank = t.rank;
    row.host = t.host;
    row.t_created = t.t_created;
    row.t_started = t.t_started;
    row.t_finished = t.t_finished;
    row.value = t.value;
    row.parent = t.parent;
    row.budget = t.budget;
    row.attempt = t.attempt;
    logfmt::copy_text(row.message, sizeof row.message, t.message);

    if (is_finished(t.state))
      for (const auto& m : t.metrics) {
        auto& metric = logfmt::append_zeroed(new_metrics);
        metric.trial = t.id;
        metric.metric = metric_index(m.name);
        metric.value = m.value;
        metric.attempt = t.attempt;
      }
    // A re-run writes its tail even when empty: the reader keeps a trial's last row, so an
    // empty one hides the earlier attempt's stderr.
    if (!t.stderr_tail.empty() || (t.attempt > 0 && is_finished(t.state))) {
      auto& tail = logfmt::append_zeroed(new_stderr);
      tail.trial = t.id;
      logfmt::copy_text(tail.text, sizeof tail.text, t.stderr_tail,
                        /*keep_tail=*/true);
    }
  }

  void flush_trials() {
    if (dirty_rows.empty()) return;
    order.clear();
    for (const auto& [id, slot] : dirty_slot) order.emplace_back(id, slot);
    std::sort(order.begin(), order.end());
    staged_rows.clear();
    staged_params.resize(order.size() * params_layout.row_size());
    runs.clear();
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto [id, slot] = order[i];
      staged_rows.push_back(dirty_rows[slot]);
      std::copy_n(dirty_params.data() + slot * params_layout.row_size(), params_layout.row_size(),
                  staged_params.data() + i * params_layout.row_size());
      const auto row = static_cast<hsize_t>(id);
      if (!runs.empty() && runs.back().first + runs.back().count == row)
        ++runs.back().count;
      else
        runs.push_back({row, 1});
    }
    trials.write_runs(staged_rows.data(), runs);
    if (params) params.write_runs(staged_params.data(), runs);
    dirty_slot.clear();
    dirty_rows.clear();
    dirty_params.clear();
  }

  /// Rows buffered since the last write.
  std::size_t pending_rows() const noexcept {
    return dirty_rows.size() + new_metrics.size() + new_reports.size() + new_events.size() + new_stderr.size();
  }

  /// Bounds memory at any trial rate: past this many buffered rows they are written to the
  /// file (without the flush, which stays at most once a second).
  static constexpr std::size_t max_buffered_rows = 1 << 16;
  void write_if_large() {
    if (pending_rows() < max_buffered_rows) return;
    const hdf5::SilenceErrors silence;
    write_pending();
  }

  void flush() {
    write_pending();
    check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), fmt::format("flushing {}", path.string()));
  }

  void write_pending() {
    // Names first, so a reader never sees an index into a name table row not yet written.
    hosts.append(new_hosts.data(), new_hosts.size());
    new_hosts.clear();
    metric_names.append(new_metric_names.data(), new_metric_names.size());
    new_metric_names.clear();
    flush_trials();
    metrics.append(new_metrics.data(), new_metrics.size());
    new_metrics.clear();
    stderr_tails.append(new_stderr.data(), new_stderr.size());
    new_stderr.clear();
    reports.append(new_reports.data(), new_reports.size());
    new_reports.clear();
    events.append(new_events.data(), new_events.size());
    new_events.clear();
  }

  void close() {
    flush();
    for (auto* table : {&trials, &params, &metrics, &stderr_tails, &reports, &events, &hosts, &metric_names})
      table->close();
    check(file.reset(), fmt::format("closing {}", path.string()));
  }
};

LogWriter::LogWriter(const std::filesystem::path& path, const LogHeader& header, bool overwrite) {
  check_target(path, overwrite);
  const hdf5::SilenceErrors silence;
  const auto staged = logfmt::staging_path(path);
  std::error_code ec;
  std::filesystem::remove(staged, ec);  // left by a killed run whose pid we now have
  // --force must not replace a log a live run is writing: its rows would go to a file
  // no name leads to any more.
  logfmt::WriterLock replaced;
  if (overwrite && std::filesystem::is_regular_file(path, ec)) replaced = logfmt::WriterLock(path);
  try {
    impl_ = std::make_unique<Impl>(path, staged, header);
    logfmt::publish(staged, path, overwrite);
  } catch (...) {
    // The half-built file is ours and useless; an existing log at `path` is untouched.
    impl_.reset();
    std::filesystem::remove(staged, ec);
    throw;
  }
}

LogWriter::LogWriter(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}

LogWriter LogWriter::reopen(const std::filesystem::path& path, std::int64_t max_trials) {
  const hdf5::SilenceErrors silence;
  logfmt::WriterLock lock;
  hdf5::File file = open_for_append(path, lock);
  try {
    const LogHeader header = logfmt::read_header(file.get());
    std::vector<std::size_t> choice_sizes;
    for (const auto& param : header.space.parameters())
      choice_sizes.push_back(param.kind == ParamKind::categorical
                                 ? hdf5::string_member_size(file.get(), logfmt::path::trials_params, param.name.c_str())
                                 : 0);
    return LogWriter(
        std::make_unique<Impl>(path, std::move(lock), std::move(file), header.space, std::move(choice_sizes), max_trials));
  } catch (const LogFormatError&) {
    throw;
  } catch (const Error& e) {  // LogError, SpaceError: a table or attribute missing or odd
    throw LogFormatError(fmt::format("{}: cannot append to it, truncated or corrupt h5tune log: {}", path.string(),
                                     e.what()));
  }
}

LogWriter::~LogWriter() {
  if (!impl_ || !impl_->file) return;
  try {
    close();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; flushed rows are safe
  }
}

LogWriter::LogWriter(LogWriter&&) noexcept = default;
LogWriter& LogWriter::operator=(LogWriter&& other) noexcept {
  if (this != &other) {
    LogWriter old(std::move(*this));  // closes our current log, if any
    impl_ = std::move(other.impl_);
  }
  return *this;
}

namespace {
// A template so that the private LogWriter::Impl is deduced, never named.
template <class Impl>
Impl& open_impl(const std::unique_ptr<Impl>& impl) {
  if (!impl || !impl->file)
    throw LogError(impl ? fmt::format("{}: the log writer is closed", impl->path.string())
                        : std::string("the log writer was moved from"));
  return *impl;
}
}  // namespace

void LogWriter::write_trial(const TrialRecord& trial) {
  auto& impl = open_impl(impl_);
  impl.add_trial(trial);
  impl.write_if_large();
}

void LogWriter::write_report(const Report& report) {
  auto& impl = open_impl(impl_);
  for (const auto& m : report.metrics) {
    auto& row = logfmt::append_zeroed(impl.new_reports);
    row.trial = report.trial;
    row.step = report.step;
    row.time = report.time;
    row.metric = impl.metric_index(m.name);
    row.value = m.value;
    row.attempt = report.attempt;
  }
  impl.write_if_large();
}

void LogWriter::write_event(const Event& event) {
  auto& row = logfmt::append_zeroed(open_impl(impl_).new_events);
  row.time = event.time;
  row.kind = static_cast<std::uint8_t>(event.kind);
  row.trial = event.trial;
  row.rank = event.rank;
  impl_->write_if_large();
}

int LogWriter::host_index(const std::string& host) {
  auto& impl = open_impl(impl_);
  const auto next = static_cast<int>(impl.hosts.size() + impl.new_hosts.size());
  const auto [it, added] = impl.host_ids.try_emplace(host, next);
  if (added) {
    logfmt::NameRow row;
    logfmt::copy_text(row.name, sizeof row.name, host);
    impl.new_hosts.push_back(row);
  }
  return it->second;
}

void LogWriter::flush() {
  auto& impl = open_impl(impl_);
  const hdf5::SilenceErrors silence;
  impl.flush();
}

void LogWriter::close() {
  if (!impl_ || !impl_->file) return;
  const hdf5::SilenceErrors silence;
  impl_->close();
}

const std::filesystem::path& LogWriter::path() const noexcept {
  static const std::filesystem::path none;
  return impl_ ? impl_->path : none;
}

}  // namespace h5tune
