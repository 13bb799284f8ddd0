#pragma once
// The on-disk layout of an h5tune log (docs/log-format.md is the reference): dataset
// paths, fixed text sizes, and the rows of the fixed-shape tables as C structs with their
// HDF5 compound types. The file stores rows in exactly their memory layout (padding
// included, always zero): a write then needs no type conversion, which in HDF5 1.10
// costs a 1 MiB calloc per H5Dwrite (measured: it dominated the flush). Readers match
// fields by name, so fields can be added later without breaking older readers.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "log/hdf5_handle.hpp"

namespace h5tune::logfmt {

// Dataset paths.
namespace path {
inline constexpr const char* trials_group = "/trials";
inline constexpr const char* trials_table = "/trials/table";
inline constexpr const char* trials_params = "/trials/params";
inline constexpr const char* trials_metrics = "/trials/metrics";
inline constexpr const char* trials_stderr = "/trials/stderr";
inline constexpr const char* metric_names = "/metric_names";
inline constexpr const char* hosts = "/hosts";
inline constexpr const char* reports = "/reports";
inline constexpr const char* events = "/events";
inline constexpr const char* space = "/space";
inline constexpr const char* space_choices = "/space_choices";
inline constexpr const char* study_file = "/study_file";
}  // namespace path

inline constexpr const char* format_version_attr = "format_version";
/// Root attribute: how many trials, from id 0, ran the study's enqueued points; absent: none.
inline constexpr const char* enqueued_attr = "enqueued";

// Fixed text sizes in bytes (null-padded, not necessarily null-terminated).
inline constexpr std::size_t message_size = 256;
inline constexpr std::size_t stderr_size = 2048;
inline constexpr std::size_t name_size = 64;

/// Event kind stored in never-written /events rows (the fill value).
inline constexpr std::uint8_t unwritten_event_kind = 255;

/// One row of /trials/table; row index == trial id. Never-written rows hold id = -1.
struct TrialRow {
  std::int64_t id;
  std::uint8_t state;
  std::uint64_t seed;
  std::int32_t rank;
  std::int32_t host;
  double t_created;
  double t_started;
  double t_finished;
  double value;
  std::int64_t parent;
  std::int64_t budget;
  std::int32_t attempt;
  char message[message_size];
};

/// One row of /trials/metrics: a final metric of a finished trial (long form).
struct MetricRow {
  std::int64_t trial;
  std::int32_t metric;  ///< row of /metric_names
  double value;
  std::int32_t attempt;  ///< the trial's attempt: a re-run's metrics replace older ones
};

/// One row of /trials/stderr: the tail of a failed command's stderr.
struct StderrRow {
  std::int64_t trial;
  char text[stderr_size];
};

/// One row of /reports: one metric of one intermediate report.
struct ReportRow {
  std::int64_t trial;
  std::int64_t step;
  double time;
  std::int32_t metric;
  double value;
  std::int32_t attempt;  ///< the trial's attempt that reported (absent from older logs)
};

/// The fields of a /trials/table row that say which attempt of a trial the log holds.
struct TrialAttempt {
  std::int64_t id;
  std::int32_t attempt;
};

/// One row of /events.
struct EventRow {
  double time;
  std::uint8_t kind;
  std::int64_t trial;
  std::int32_t rank;
};

/// One row of /hosts and /metric_names.
struct NameRow {
  char name[name_size];
};

// Native compound types of the rows above, used in memory and in the file. Build rows
// with zero() or append_zeroed() so their padding bytes are zero.
hdf5::Datatype trial_row_type();
hdf5::Datatype metric_row_type();
hdf5::Datatype stderr_row_type();
/// `with_attempt = false`: the rows of logs written before reports had an attempt (that
/// field is then not read).
hdf5::Datatype report_row_type(bool with_attempt = true);
/// Only the `id` and `attempt` fields of /trials/table rows, read into a TrialAttempt.
hdf5::Datatype trial_attempt_type();
hdf5::Datatype event_row_type();
hdf5::Datatype name_row_type();

/// A fixed-length, null-padded UTF-8 string type of `size` bytes (at least 1).
hdf5::Datatype fixed_string_type(std::size_t size);

/// Zero every byte of a row, padding included: files then hold no stray memory bytes
/// (value-initialization does not reliably zero padding with GCC).
template <class Row>
void zero(Row& row) noexcept {
  std::memset(static_cast<void*>(&row), 0, sizeof row);
}

/// Append a zeroed row to `rows` and return it for filling in.
template <class Row>
Row& append_zeroed(std::vector<Row>& rows) {
  Row& row = rows.emplace_back();
  zero(row);
  return row;
}

// Fill values: set `row` to what a reader sees in rows that exist but were never written.
void make_unwritten(TrialRow& row) noexcept;
void make_unwritten(MetricRow& row) noexcept;
void make_unwritten(StderrRow& row) noexcept;
void make_unwritten(ReportRow& row) noexcept;
void make_unwritten(EventRow& row) noexcept;
void make_unwritten(NameRow& row) noexcept;

/// Copy `text` into a fixed field of `size` bytes, zero-padding the rest. Longer text is
/// cut at a UTF-8 character boundary, keeping the head or (keep_tail) the tail.
void copy_text(char* field, std::size_t size, std::string_view text, bool keep_tail = false);
/// The text of a fixed field: up to its first NUL byte.
std::string read_text(const char* field, std::size_t size);

}  // namespace h5tune::logfmt
