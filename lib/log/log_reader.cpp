#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <system_error>
#include <vector>

#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "log/dynamic_compound.hpp"
#include "log/growing_table.hpp"
#include "log/hdf5_check.hpp"
#include "log/header_io.hpp"
#include "log/log_schema.hpp"
#include "log/memory_cap.hpp"
#include "log/params_layout.hpp"
#include "log/trial_block_index.hpp"

namespace h5tune {
namespace {

using hdf5::check;
using hdf5::GrowingTable;

constexpr hsize_t trial_slice_rows = 65536;
constexpr hsize_t metric_block_rows = 16384;
constexpr hsize_t stderr_block_rows = 256;
// Memory libhdf5 may map while opening a log; its metadata needs kilobytes.
constexpr std::size_t metadata_headroom = std::size_t{256} << 20;

[[noreturn]] void refuse(const std::filesystem::path& path, std::string_view why) {
  throw LogFormatError(fmt::format("{}: {}", path.string(), why));
}

/// Open read-only as a SWMR reader (works on live logs and on SIGKILLed ones), else
/// plainly (files not written with SWMR). Returns the file and whether SWMR worked.
std::pair<hdf5::File, bool> open_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.empty()) throw LogFormatError("the log's path is empty: give the HDF5 log of a study");
  if (!std::filesystem::exists(path, ec)) refuse(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) refuse(path, "is a directory, not a log file");
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) refuse(path, fmt::format("cannot read the file: {}", hdf5::error_stack_text()));
  if (is_hdf5 == 0) refuse(path, "not an HDF5 file, so not an h5tune log");

  // A SWMR reader re-reads metadata whose checksum fails (the writer may be mid-write),
  // sleeping 1 ns, 2 ns, 4 ns, ... between attempts: HDF5's default of 100 attempts made a
  // corrupt file hang `h5tune show` for hours. 24 attempts wait about 30 ms in all, far
  // longer than a writer takes to write one piece of metadata.
  const hdf5::PropertyList fapl(hdf5::check(H5Pcreate(H5P_FILE_ACCESS), "creating a file access list"));
  hdf5::check(H5Pset_metadata_read_attempts(fapl.get(), 24), "setting metadata read attempts");
  // A reader takes no file lock: libhdf5's shared lock, held while it opens, makes a writer
  // that opens the log at that moment (`run --resume`) fail to lock it. Our writer is in
  // SWMR mode whenever a reader can see the file (staged_file.hpp), which is what makes
  // lock-free reading safe.
  hdf5::check(H5Pset_file_locking(fapl.get(), false, true), "turning off file locking for reading");
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl.get());
  if (id >= 0) return {hdf5::File(id), true};
  const std::string swmr_error = hdf5::error_stack_text();
  id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id >= 0) return {hdf5::File(id), false};
  hdf5::error_stack_text();  // drop the second stack: the SWMR one says more
  refuse(path, fmt::format("cannot open it as HDF5 (truncated or corrupt?): {}", swmr_error));
}

std::vector<std::string> read_names(const GrowingTable& table) {
  std::vector<logfmt::NameRow> rows(table.size());
  table.read(0, rows.size(), rows.data());
  std::vector<std::string> names;
  names.reserve(rows.size());
  for (const auto& row : rows) names.push_back(logfmt::read_text(row.name, sizeof row.name));
  return names;
}

std::string metric_name(const std::vector<std::string>& names, std::int32_t index) {
  if (index >= 0 && static_cast<std::size_t>(index) < names.size() && !names[static_cast<std::size_t>(index)].empty())
    return names[static_cast<std::size_t>(index)];
  return fmt::format("metric#{}", index);  // a live file whose name row is not visible yet
}

/// Add a metric, or replace the value of one of the same name (the trial was logged twice).
void set_metric(Metrics& metrics, std::string name, double value) {
  for (auto& m : metrics)
    if (m.name == name) {
      m.value = value;
      return;
    }
  metrics.push_back({std::move(name), value});
}

bool same_time(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

TrialRecord to_record(const logfmt::TrialRow& row, std::int64_t index) {
  TrialRecord t;
  t.id = index;  // row index == trial id; never-written rows (id -1) read as pending
  if (row.id < 0) return t;
  t.seed = row.seed;
  t.state = static_cast<TrialState>(row.state);
  t.value = row.value;
  t.rank = row.rank;
  t.host = row.host;
  t.t_created = row.t_created;
  t.t_started = row.t_started;
  t.t_finished = row.t_finished;
  t.parent = row.parent;
  t.budget = row.budget;
  t.attempt = row.attempt;
  t.message = logfmt::read_text(row.message, sizeof row.message);
  return t;
}

}  // namespace

struct LogReader::Impl {
  std::filesystem::path path;
  hdf5::File file;
  bool swmr = false;
  LogHeader header;
  std::unique_ptr<logfmt::ParamsLayout> params_layout;
  GrowingTable trials, params, metrics, stderr_tails, reports, events, hosts, metric_names;
  GrowingTable trial_attempts;         // /trials/table again, only its id and attempt fields
  bool reports_have_attempt = false;  // logs written before the field was added have none
  logfmt::TrialBlockIndex metrics_index{metric_block_rows};
  logfmt::TrialBlockIndex stderr_index{stderr_block_rows};

  explicit Impl(std::filesystem::path p) : path(std::move(p)) {
    // Opening reads all the metadata a corrupt file can lie about (memory_cap.hpp).
    const hdf5::MemoryCap cap(metadata_headroom);
    std::tie(file, swmr) = open_file(path);
    const auto version = logfmt::read_format_version(file.get());
    if (!version) refuse(path, "not an h5tune log (no format_version attribute)");
    if (*version > log_format_version)
      refuse(path, fmt::format("written by a newer h5tune (format {}); this build reads up to {}",
                               *version, log_format_version));
    if (*version < 1) refuse(path, fmt::format("unknown log format version {}", *version));

    header = logfmt::read_header(file.get());
    namespace p5 = logfmt::path;
    const hid_t f = file.get();
    trials = GrowingTable::open(f, p5::trials_table, logfmt::trial_row_type());
    if (!header.space.empty()) {
      // Size categorical fields as the file does, so no choice text is cut on reading.
      std::vector<std::size_t> sizes;
      for (const auto& param : header.space.parameters())
        sizes.push_back(param.kind == ParamKind::categorical
                            ? hdf5::string_member_size(f, p5::trials_params, param.name.c_str())
                            : 0);
      params_layout = std::make_unique<logfmt::ParamsLayout>(header.space, sizes);
      params = GrowingTable::open(f, p5::trials_params, params_layout->type());
    }
    metrics = GrowingTable::open(f, p5::trials_metrics, logfmt::metric_row_type());
    stderr_tails = GrowingTable::open(f, p5::trials_stderr, logfmt::stderr_row_type());
    reports_have_attempt = hdf5::has_member(f, p5::reports, "attempt");
    reports = GrowingTable::open(f, p5::reports, logfmt::report_row_type(reports_have_attempt));
    trial_attempts = GrowingTable::open(f, p5::trials_table, logfmt::trial_attempt_type());
    events = GrowingTable::open(f, p5::events, logfmt::event_row_type());
    hosts = GrowingTable::open(f, p5::hosts, logfmt::name_row_type());
    metric_names = GrowingTable::open(f, p5::metric_names, logfmt::name_row_type());
  }

  /// Run a read, turning HDF5 and validation failures into LogFormatError naming the file.
  template <class F>
  auto guarded(F&& read) const -> decltype(read()) {
    const hdf5::SilenceErrors silence;
    try {
      return read();
    } catch (const LogFormatError&) {
      throw;
    } catch (const Error& e) {  // LogError, SpaceError
      refuse(path, fmt::format("truncated or corrupt h5tune log: {}", e.what()));
    }
  }

  std::vector<TrialRecord> read_trials(std::int64_t first, std::int64_t count) {
    const auto size = static_cast<std::int64_t>(trials.size());
    first = std::clamp<std::int64_t>(first, 0, size);
    const std::int64_t end = count < 0 ? size : std::min(size, first + count);
    std::vector<TrialRecord> out;
    out.reserve(static_cast<std::size_t>(end - first));

    std::vector<logfmt::TrialRow> rows;
    std::vector<std::byte> param_rows;
    const auto params_size = static_cast<std::int64_t>(params.size());
    for (std::int64_t slice = first; slice < end; slice += static_cast<std::int64_t>(trial_slice_rows)) {
      const std::int64_t n = std::min<std::int64_t>(end - slice, trial_slice_rows);
      rows.resize(static_cast<std::size_t>(n));
      trials.read(static_cast<hsize_t>(slice), static_cast<hsize_t>(n), rows.data());
      // In a live file /trials/params can lag /trials/table by a flush.
      const std::int64_t with_params = params_layout ? std::clamp<std::int64_t>(params_size - slice, 0, n) : 0;
      if (with_params > 0) {
        param_rows.resize(static_cast<std::size_t>(with_params) * params_layout->row_size());
        params.read(static_cast<hsize_t>(slice), static_cast<hsize_t>(with_params), param_rows.data());
      }
      for (std::int64_t i = 0; i < n; ++i) {
        const auto& row = rows[static_cast<std::size_t>(i)];
        out.push_back(to_record(row, slice + i));
        if (row.id < 0) continue;
        if (i < with_params)
          out.back().values = params_layout->decode(param_rows.data() + static_cast<std::size_t>(i) * params_layout->row_size());
      }
    }

    const auto names = read_names(metric_names);
    // Metrics of a later attempt (a re-run) replace those of earlier ones.
    std::vector<std::int32_t> metrics_attempt(out.size(), -1);
    metrics_index.scan<logfmt::MetricRow>(metrics, first, end, [&](const logfmt::MetricRow& row) {
      const auto i = static_cast<std::size_t>(row.trial - first);
      if (row.attempt < metrics_attempt[i]) return;
      if (row.attempt > metrics_attempt[i]) {
        out[i].metrics.clear();
        metrics_attempt[i] = row.attempt;
      }
      set_metric(out[i].metrics, metric_name(names, row.metric), row.value);
    });
    stderr_index.scan<logfmt::StderrRow>(stderr_tails, first, end, [&](const logfmt::StderrRow& row) {
      out[static_cast<std::size_t>(row.trial - first)].stderr_tail = logfmt::read_text(row.text, sizeof row.text);
    });
    return out;
  }

  std::vector<Report> read_reports() const {
    std::vector<Report> out;
    scan_reports([&](Report&& report) { out.push_back(std::move(report)); });
    return out;
  }

  /// The attempt each trial's row holds (0 for a row never written), read in slices.
  std::vector<std::int32_t> logged_attempts() const {
    constexpr hsize_t slice = 65536;
    const hsize_t total = trial_attempts.size();
    std::vector<std::int32_t> out(static_cast<std::size_t>(total), 0);
    std::vector<logfmt::TrialAttempt> rows;
    for (hsize_t first = 0; first < total; first += slice) {
      rows.resize(static_cast<std::size_t>(std::min(slice, total - first)));
      trial_attempts.read(first, rows.size(), rows.data());
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].id >= 0) out[static_cast<std::size_t>(first) + i] = rows[i].attempt;
    }
    return out;
  }

  /// Reads /reports in slices of bounded size and hands over one report at a time: those
  /// of each trial's logged attempt, since a re-run reports its steps again (a log written
  /// before reports carried their attempt: every report).
  template <class Visit>
  void scan_reports(Visit&& visit) const {
    constexpr hsize_t slice = 65536;
    const auto names = read_names(metric_names);
    const auto attempts = reports_have_attempt ? logged_attempts() : std::vector<std::int32_t>{};
    const hsize_t total = reports.size();
    std::vector<logfmt::ReportRow> rows;
    std::optional<Report> current;
    for (hsize_t first = 0; first < total; first += slice) {
      rows.resize(static_cast<std::size_t>(std::min(slice, total - first)));
      reports.read(first, rows.size(), rows.data());
      for (const auto& row : rows) {
        if (row.trial < 0) continue;  // not written yet
        const std::int32_t attempt = reports_have_attempt ? row.attempt : 0;
        if (static_cast<std::uint64_t>(row.trial) < attempts.size() &&
            attempt < attempts[static_cast<std::size_t>(row.trial)])
          continue;  // an earlier attempt's
        // Consecutive rows of one (trial, step, time) are the metrics of one report.
        if (!current || current->trial != row.trial || current->step != row.step ||
            !same_time(current->time, row.time) || current->attempt != attempt) {
          if (current) visit(std::move(*current));
          current = Report{row.trial, row.step, row.time, {}, attempt};
        }
        current->metrics.push_back({metric_name(names, row.metric), row.value});
      }
    }
    if (current) visit(std::move(*current));
  }

  std::vector<Event> read_events() const {
    std::vector<logfmt::EventRow> rows(events.size());
    events.read(0, rows.size(), rows.data());
    std::vector<Event> out;
    out.reserve(rows.size());
    for (const auto& row : rows)
      if (row.kind != logfmt::unwritten_event_kind)
        out.push_back(Event{row.time, static_cast<EventKind>(row.kind), row.trial, row.rank});
    return out;
  }

  void refresh() {
    for (auto* table : {&trials, &params, &metrics, &stderr_tails, &reports, &events, &hosts, &metric_names,
                        &trial_attempts})
      if (*table) table->refresh(swmr);
  }
};

LogReader::LogReader(const std::filesystem::path& path) {
  const hdf5::SilenceErrors silence;
  try {
    impl_ = std::make_unique<Impl>(path);
  } catch (const LogFormatError&) {
    throw;
  } catch (const Error& e) {  // LogError, SpaceError
    refuse(path, fmt::format("truncated or corrupt h5tune log: {}", e.what()));
  }
}

LogReader::~LogReader() = default;
LogReader::LogReader(LogReader&&) noexcept = default;
LogReader& LogReader::operator=(LogReader&&) noexcept = default;

const LogHeader& LogReader::header() const noexcept { return impl_->header; }

void LogReader::refresh() {
  impl_->guarded([&] { impl_->refresh(); });
}

std::int64_t LogReader::trial_count() const { return static_cast<std::int64_t>(impl_->trials.size()); }

std::vector<TrialRecord> LogReader::trials(std::int64_t first, std::int64_t count) const {
  return impl_->guarded([&] { return impl_->read_trials(first, count); });
}

std::vector<Report> LogReader::reports() const {
  return impl_->guarded([&] { return impl_->read_reports(); });
}

void LogReader::for_each_report(const std::function<void(const Report&)>& visit) const {
  impl_->guarded([&] { impl_->scan_reports([&](Report&& report) { visit(report); }); });
}

std::vector<Event> LogReader::events() const {
  return impl_->guarded([&] { return impl_->read_events(); });
}

std::vector<std::string> LogReader::hosts() const {
  return impl_->guarded([&] { return read_names(impl_->hosts); });
}

std::vector<std::string> LogReader::metric_names() const {
  return impl_->guarded([&] { return read_names(impl_->metric_names); });
}

const std::filesystem::path& LogReader::path() const noexcept { return impl_->path; }

}  // namespace h5tune
