#include "log/log_schema.hpp"

#include <cstring>
#include <limits>

#include "log/hdf5_check.hpp"

namespace h5tune::logfmt {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

class CompoundType {
 public:
  explicit CompoundType(std::size_t size)
      : type_(hdf5::check(H5Tcreate(H5T_COMPOUND, size), "creating a compound row type")) {}
  CompoundType& add(const char* name, std::size_t offset, hid_t member) {
    hdf5::check(H5Tinsert(type_.get(), name, offset, member), "building a compound row type");
    return *this;
  }
  hdf5::Datatype release() { return std::move(type_); }

 private:
  hdf5::Datatype type_;
};

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

hdf5::Datatype fixed_string_type(std::size_t size) {
  hdf5::Datatype type(hdf5::check(H5Tcopy(H5T_C_S1), "copying the string type"));
  hdf5::check(H5Tset_size(type.get(), size == 0 ? 1 : size), "sizing a string type");
  hdf5::check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "setting string padding");
  hdf5::check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "setting string encoding");
  return type;
}

hdf5::Datatype trial_row_type() {
  auto message = fixed_string_type(message_size);
  return CompoundType(sizeof(TrialRow))
      .add("id", HOFFSET(TrialRow, id), H5T_NATIVE_INT64)
      .add("state", HOFFSET(TrialRow, state), H5T_NATIVE_UINT8)
      .add("seed", HOFFSET(TrialRow, seed), H5T_NATIVE_UINT64)
      .add("rank", HOFFSET(TrialRow, rank), H5T_NATIVE_INT32)
      .add("host", HOFFSET(TrialRow, host), H5T_NATIVE_INT32)
      .add("t_created", HOFFSET(TrialRow, t_created), H5T_NATIVE_DOUBLE)
      .add("t_started", HOFFSET(TrialRow, t_started), H5T_NATIVE_DOUBLE)
      .add("t_finished", HOFFSET(TrialRow, t_finished), H5T_NATIVE_DOUBLE)
      .add("value", HOFFSET(TrialRow, value), H5T_NATIVE_DOUBLE)
      .add("parent", HOFFSET(TrialRow, parent), H5T_NATIVE_INT64)
      .add("budget", HOFFSET(TrialRow, budget), H5T_NATIVE_INT64)
      .add("attempt", HOFFSET(TrialRow, attempt), H5T_NATIVE_INT32)
      .add("message", HOFFSET(TrialRow, message), message.get())
      .release();
}

hdf5::Datatype metric_row_type() {
  return CompoundType(sizeof(MetricRow))
      .add("trial", HOFFSET(MetricRow, trial), H5T_NATIVE_INT64)
      .add("metric", HOFFSET(MetricRow, metric), H5T_NATIVE_INT32)
      .add("value", HOFFSET(MetricRow, value), H5T_NATIVE_DOUBLE)
      .add("attempt", HOFFSET(MetricRow, attempt), H5T_NATIVE_INT32)
      .release();
}

hdf5::Datatype stderr_row_type() {
  auto text = fixed_string_type(stderr_size);
  return CompoundType(sizeof(StderrRow))
      .add("trial", HOFFSET(StderrRow, trial), H5T_NATIVE_INT64)
      .add("text", HOFFSET(StderrRow, text), text.get())
      .release();
}

hdf5::Datatype report_row_type(bool with_attempt) {
  CompoundType type(sizeof(ReportRow));
  type.add("trial", HOFFSET(ReportRow, trial), H5T_NATIVE_INT64)
      .add("step", HOFFSET(ReportRow, step), H5T_NATIVE_INT64)
      .add("time", HOFFSET(ReportRow, time), H5T_NATIVE_DOUBLE)
      .add("metric", HOFFSET(ReportRow, metric), H5T_NATIVE_INT32)
      .add("value", HOFFSET(ReportRow, value), H5T_NATIVE_DOUBLE);
  if (with_attempt) type.add("attempt", HOFFSET(ReportRow, attempt), H5T_NATIVE_INT32);
  return type.release();
}

hdf5::Datatype trial_attempt_type() {
  return CompoundType(sizeof(TrialAttempt))
      .add("id", HOFFSET(TrialAttempt, id), H5T_NATIVE_INT64)
      .add("attempt", HOFFSET(TrialAttempt, attempt), H5T_NATIVE_INT32)
      .release();
}

hdf5::Datatype event_row_type() {
  return CompoundType(sizeof(EventRow))
      .add("time", HOFFSET(EventRow, time), H5T_NATIVE_DOUBLE)
      .add("kind", HOFFSET(EventRow, kind), H5T_NATIVE_UINT8)
      .add("trial", HOFFSET(EventRow, trial), H5T_NATIVE_INT64)
      .add("rank", HOFFSET(EventRow, rank), H5T_NATIVE_INT32)
      .release();
}

hdf5::Datatype name_row_type() { return fixed_string_type(name_size); }

void make_unwritten(TrialRow& row) noexcept {
  zero(row);
  row.id = -1;
  row.state = 0;  // TrialState::pending
  row.rank = -1;
  row.host = -1;
  row.t_created = row.t_started = row.t_finished = row.value = nan;
  row.parent = -1;
}

void make_unwritten(MetricRow& row) noexcept {
  zero(row);
  row.trial = -1;
  row.metric = -1;
  row.value = nan;
}

void make_unwritten(StderrRow& row) noexcept {
  zero(row);
  row.trial = -1;
}

void make_unwritten(ReportRow& row) noexcept {
  zero(row);
  row.trial = -1;
  row.time = nan;
  row.metric = -1;
  row.value = nan;
}

void make_unwritten(EventRow& row) noexcept {
  zero(row);
  row.time = nan;
  row.kind = unwritten_event_kind;
  row.trial = -1;
  row.rank = -1;
}

void make_unwritten(NameRow& row) noexcept { zero(row); }

void copy_text(char* field, std::size_t size, std::string_view text, bool keep_tail) {
  if (text.size() > size) {
    if (keep_tail) {
      std::size_t start = text.size() - size;
      while (start < text.size() && is_continuation_byte(text[start])) ++start;
      text.remove_prefix(start);
    } else {
      std::size_t end = size;
      while (end > 0 && is_continuation_byte(text[end])) --end;
      text = text.substr(0, end);
    }
  }
  std::memcpy(field, text.data(), text.size());
  std::memset(field + text.size(), 0, size - text.size());
}

std::string read_text(const char* field, std::size_t size) {
  return std::string(field, strnlen(field, size));
}

}  // namespace h5tune::logfmt
