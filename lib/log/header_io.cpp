#include "log/header_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "h5tune/error.hpp"
#include "log/dynamic_compound.hpp"
#include "log/hdf5_check.hpp"
#include "log/log_schema.hpp"

namespace h5tune::logfmt {
namespace {

using hdf5::check;

// --- attributes --------------------------------------------------------------------

void write_scalar_attr(hid_t loc, const char* name, hid_t type, const void* value) {
  const std::string what = fmt::format("writing attribute {}", name);
  hdf5::Dataspace space(check(H5Screate(H5S_SCALAR), what));
  hdf5::Attribute attr(check(H5Acreate2(loc, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT), what));
  check(H5Awrite(attr.get(), type, value), what);
}

void write_string_attr(hid_t loc, const char* name, const std::string& value) {
  const auto type = fixed_string_type(value.size());
  std::string padded = value;
  if (padded.empty()) padded.push_back('\0');
  write_scalar_attr(loc, name, type.get(), padded.data());
}

void write_strings_attr(hid_t loc, const char* name, const std::vector<std::string>& values) {
  const std::string what = fmt::format("writing attribute {}", name);
  std::size_t width = 1;
  for (const auto& v : values) width = std::max(width, v.size());
  std::vector<char> buffer(width * values.size(), '\0');
  for (std::size_t i = 0; i < values.size(); ++i)
    std::memcpy(buffer.data() + i * width, values[i].data(), values[i].size());
  const auto type = fixed_string_type(width);
  const hsize_t count = values.size();
  hdf5::Dataspace space(check(H5Screate_simple(1, &count, nullptr), what));
  hdf5::Attribute attr(
      check(H5Acreate2(loc, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), what));
  if (count > 0) check(H5Awrite(attr.get(), type.get(), buffer.data()), what);
}

// Reading one value from a dataspace of several writes past the value read into.
void require_one_element(hid_t space, const std::string& name, const std::string& what) {
  const hssize_t count = check(H5Sget_simple_extent_npoints(space), what);
  if (count != 1) throw LogError(fmt::format("{} holds {} values, not one", name, count));
}

hdf5::Attribute open_attr(hid_t loc, const char* name) {
  return hdf5::Attribute(check(H5Aopen(loc, name, H5P_DEFAULT), fmt::format("opening attribute {}", name)));
}

template <class T>
T read_scalar_attr(hid_t loc, const char* name, hid_t native_type) {
  auto attr = open_attr(loc, name);
  require_one_value(attr.get(), name);
  T value{};
  check(H5Aread(attr.get(), native_type, &value), fmt::format("reading attribute {}", name));
  return value;
}

/// Strings of a fixed- or variable-length string attribute (scalar: one string).
std::vector<std::string> read_strings_attr(hid_t loc, const char* name) {
  const std::string what = fmt::format("reading attribute {}", name);
  auto attr = open_attr(loc, name);
  hdf5::Datatype file_type(check(H5Aget_type(attr.get()), what));
  if (H5Tget_class(file_type.get()) != H5T_STRING)
    throw LogError(fmt::format("attribute {} is not a string", name));
  hdf5::Dataspace space(check(H5Aget_space(attr.get()), what));
  const auto count = static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space.get()), what));
  std::vector<std::string> out;
  if (count == 0) return out;
  if (check(H5Tis_variable_str(file_type.get()), what) > 0) {
    hdf5::Datatype mem_type(check(H5Tcopy(H5T_C_S1), what));
    check(H5Tset_size(mem_type.get(), H5T_VARIABLE), what);
    std::vector<char*> pointers(count, nullptr);
    check(H5Aread(attr.get(), mem_type.get(), pointers.data()), what);
    for (char* p : pointers) out.emplace_back(p != nullptr ? p : "");
    H5Dvlen_reclaim(mem_type.get(), space.get(), H5P_DEFAULT, pointers.data());
    return out;
  }
  const std::size_t width = H5Tget_size(file_type.get());
  const auto mem_type = fixed_string_type(width);
  std::vector<char> buffer(width * count);
  check(H5Aread(attr.get(), mem_type.get(), buffer.data()), what);
  for (std::size_t i = 0; i < count; ++i) out.push_back(read_text(buffer.data() + i * width, width));
  return out;
}

std::string read_string_attr(hid_t loc, const char* name) {
  auto values = read_strings_attr(loc, name);
  if (values.size() != 1) throw LogError(fmt::format("attribute {} is not a single string", name));
  return values.front();
}

// --- study file ----------------------------------------------------------------------

void write_study_file(hid_t file, const std::string& text) {
  const std::string what = fmt::format("writing {}", path::study_file);
  const auto type = fixed_string_type(text.size());
  hdf5::Dataspace space(check(H5Screate(H5S_SCALAR), what));
  hdf5::Dataset dataset(check(H5Dcreate2(file, path::study_file, type.get(), space.get(), H5P_DEFAULT,
                                         H5P_DEFAULT, H5P_DEFAULT),
                              what));
  std::string padded = text;
  if (padded.empty()) padded.push_back('\0');
  check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, padded.data()), what);
}

std::string read_study_file(hid_t file) {
  const std::string what = fmt::format("reading {}", path::study_file);
  hdf5::Dataset dataset(check(H5Dopen2(file, path::study_file, H5P_DEFAULT), what));
  hdf5::Datatype file_type(check(H5Dget_type(dataset.get()), what));
  if (H5Tget_class(file_type.get()) != H5T_STRING || H5Tis_variable_str(file_type.get()) != 0)
    throw LogError(fmt::format("{} is not a fixed-length string", path::study_file));
  hdf5::Dataspace space(check(H5Dget_space(dataset.get()), what));
  require_one_element(space.get(), path::study_file, what);
  const std::size_t size = H5Tget_size(file_type.get());
  const auto mem_type = fixed_string_type(size);
  std::vector<char> buffer(size);
  check(H5Dread(dataset.get(), mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), what);
  return read_text(buffer.data(), size);
}

// --- space ---------------------------------------------------------------------------

/// Row of /space: name S(n), kind u8, low f64, high f64, log u8.
struct SpaceRowLayout {
  explicit SpaceRowLayout(std::size_t name_bytes) {
    name = compound.add_string("name", name_bytes);
    name_size = name_bytes == 0 ? 1 : name_bytes;
    kind = compound.add("kind", H5T_NATIVE_UINT8);
    low = compound.add("low", H5T_NATIVE_DOUBLE);
    high = compound.add("high", H5T_NATIVE_DOUBLE);
    log = compound.add("log", H5T_NATIVE_UINT8);
  }
  hdf5::DynamicCompound compound;
  std::size_t name = 0, name_size = 0, kind = 0, low = 0, high = 0, log = 0;
};

/// Row of /space_choices: param i32, index i32, choice S(n).
struct ChoiceRowLayout {
  explicit ChoiceRowLayout(std::size_t choice_bytes) {
    param = compound.add("param", H5T_NATIVE_INT32);
    index = compound.add("index", H5T_NATIVE_INT32);
    choice = compound.add_string("choice", choice_bytes);
    choice_size = choice_bytes == 0 ? 1 : choice_bytes;
  }
  hdf5::DynamicCompound compound;
  std::size_t param = 0, index = 0, choice = 0, choice_size = 0;
};

void write_table(hid_t file, const char* name, const hdf5::DynamicCompound& compound,
                 const std::vector<std::byte>& rows) {
  const std::string what = fmt::format("writing {}", name);
  const hsize_t count = rows.size() / compound.row_size();
  const auto type = compound.type();
  hdf5::Dataspace space(check(H5Screate_simple(1, &count, nullptr), what));
  hdf5::Dataset dataset(check(
      H5Dcreate2(file, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), what));
  if (count > 0)
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()), what);
}

std::vector<std::byte> read_table(hid_t file, const char* name, const hdf5::DynamicCompound& compound) {
  const std::string what = fmt::format("reading {}", name);
  hdf5::Dataset dataset(check(H5Dopen2(file, name, H5P_DEFAULT), what));
  hdf5::Dataspace space(check(H5Dget_space(dataset.get()), what));
  const auto count = static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space.get()), what));
  std::vector<std::byte> rows(count * compound.row_size());
  const auto type = compound.type();
  if (count > 0)
    check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()), what);
  return rows;
}

template <class T>
void put(std::byte* row, std::size_t offset, T value) {
  std::memcpy(row + offset, &value, sizeof value);
}

template <class T>
T get(const std::byte* row, std::size_t offset) {
  T value{};
  std::memcpy(&value, row + offset, sizeof value);
  return value;
}

void write_space(hid_t file, const Space& space) {
  std::size_t name_bytes = 1, choice_bytes = 1, choice_count = 0;
  for (const auto& p : space.parameters()) {
    name_bytes = std::max(name_bytes, p.name.size());
    for (const auto& c : p.choices) choice_bytes = std::max(choice_bytes, c.size());
    choice_count += p.choices.size();
  }
  const SpaceRowLayout prow(name_bytes);
  std::vector<std::byte> params(space.size() * prow.compound.row_size());
  const ChoiceRowLayout crow(choice_bytes);
  std::vector<std::byte> choices(choice_count * crow.compound.row_size());
  std::byte* c = choices.data();
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space[i];
    std::byte* row = params.data() + i * prow.compound.row_size();
    copy_text(reinterpret_cast<char*>(row + prow.name), prow.name_size, p.name);
    put<std::uint8_t>(row, prow.kind, static_cast<std::uint8_t>(p.kind));
    put<double>(row, prow.low, p.low);
    put<double>(row, prow.high, p.high);
    put<std::uint8_t>(row, prow.log, p.log ? 1 : 0);
    for (std::size_t k = 0; k < p.choices.size(); ++k, c += crow.compound.row_size()) {
      put<std::int32_t>(c, crow.param, static_cast<std::int32_t>(i));
      put<std::int32_t>(c, crow.index, static_cast<std::int32_t>(k));
      copy_text(reinterpret_cast<char*>(c + crow.choice), crow.choice_size, p.choices[k]);
    }
  }
  write_table(file, path::space, prow.compound, params);
  write_table(file, path::space_choices, crow.compound, choices);
}

Space read_space(hid_t file) {
  const SpaceRowLayout prow(hdf5::string_member_size(file, path::space, "name"));
  const ChoiceRowLayout crow(hdf5::string_member_size(file, path::space_choices, "choice"));
  const auto params = read_table(file, path::space, prow.compound);
  const auto choice_rows = read_table(file, path::space_choices, crow.compound);
  const std::size_t count = params.size() / prow.compound.row_size();

  std::vector<std::vector<std::string>> choices(count);
  for (std::size_t r = 0; r < choice_rows.size() / crow.compound.row_size(); ++r) {
    const std::byte* row = choice_rows.data() + r * crow.compound.row_size();
    const auto param = get<std::int32_t>(row, crow.param);
    const auto index = get<std::int32_t>(row, crow.index);
    if (param < 0 || static_cast<std::size_t>(param) >= count ||
        index != static_cast<std::int32_t>(choices[static_cast<std::size_t>(param)].size()))
      throw LogError(fmt::format("{} row {} is out of order or names no parameter", path::space_choices, r));
    choices[static_cast<std::size_t>(param)].push_back(
        read_text(reinterpret_cast<const char*>(row + crow.choice), crow.choice_size));
  }

  Space space;
  for (std::size_t i = 0; i < count; ++i) {
    const std::byte* row = params.data() + i * prow.compound.row_size();
    std::string name = read_text(reinterpret_cast<const char*>(row + prow.name), prow.name_size);
    const auto kind = get<std::uint8_t>(row, prow.kind);
    const auto low = get<double>(row, prow.low);
    const auto high = get<double>(row, prow.high);
    const bool log = get<std::uint8_t>(row, prow.log) != 0;
    switch (kind) {
      case static_cast<std::uint8_t>(ParamKind::real):
        space.add_float(std::move(name), low, high, log);
        break;
      case static_cast<std::uint8_t>(ParamKind::integer):
        space.add_int(std::move(name), static_cast<long long>(low), static_cast<long long>(high), log);
        break;
      case static_cast<std::uint8_t>(ParamKind::categorical):
        space.add_choice(std::move(name), std::move(choices[i]));
        break;
      default:
        throw LogError(fmt::format("{} row {}: unknown parameter kind {}", path::space, i, kind));
    }
  }
  return space;
}

}  // namespace

void require_one_value(hid_t attr, const char* name) {
  const std::string what = fmt::format("reading attribute {}", name);
  hdf5::Dataspace space(check(H5Aget_space(attr), what));
  require_one_element(space.get(), fmt::format("attribute {}", name), what);
}

void write_header(hid_t file, const LogHeader& h) {
  const int version = log_format_version;
  write_scalar_attr(file, format_version_attr, H5T_NATIVE_INT, &version);
  write_string_attr(file, "h5tune_version", h.h5tune_version);
  write_string_attr(file, "git_sha", h.git_sha);
  write_string_attr(file, "study_name", h.study_name);
  write_string_attr(file, "study_path", h.study_path);
  write_scalar_attr(file, "seed", H5T_NATIVE_UINT64, &h.seed);
  write_string_attr(file, "strategy", h.strategy);
  write_string_attr(file, "direction", h.direction);
  write_string_attr(file, "metric", h.metric);
  write_scalar_attr(file, "max_trials", H5T_NATIVE_INT64, &h.max_trials);
  write_scalar_attr(file, "mpi_size", H5T_NATIVE_INT, &h.mpi_size);
  write_strings_attr(file, "hostnames", h.hostnames);
  write_string_attr(file, "slurm_job_id", h.slurm_job_id);
  write_string_attr(file, "created", h.created);
  // Absent without enqueued points, so logs of studies without them read as before.
  if (h.enqueued > 0) write_scalar_attr(file, enqueued_attr, H5T_NATIVE_INT64, &h.enqueued);
  write_study_file(file, h.study_text);
  write_space(file, h.space);
}

std::optional<int> read_format_version(hid_t file) {
  const htri_t exists = check(H5Aexists(file, format_version_attr), "looking for the format_version attribute");
  if (exists == 0) return std::nullopt;
  return read_scalar_attr<int>(file, format_version_attr, H5T_NATIVE_INT);
}

LogHeader read_header(hid_t file) {
  LogHeader h;
  h.format_version = read_scalar_attr<int>(file, format_version_attr, H5T_NATIVE_INT);
  h.h5tune_version = read_string_attr(file, "h5tune_version");
  h.git_sha = read_string_attr(file, "git_sha");
  h.study_name = read_string_attr(file, "study_name");
  h.study_path = read_string_attr(file, "study_path");
  h.seed = read_scalar_attr<std::uint64_t>(file, "seed", H5T_NATIVE_UINT64);
  h.strategy = read_string_attr(file, "strategy");
  h.direction = read_string_attr(file, "direction");
  h.metric = read_string_attr(file, "metric");
  h.max_trials = read_scalar_attr<std::int64_t>(file, "max_trials", H5T_NATIVE_INT64);
  h.mpi_size = read_scalar_attr<int>(file, "mpi_size", H5T_NATIVE_INT);
  h.hostnames = read_strings_attr(file, "hostnames");
  h.slurm_job_id = read_string_attr(file, "slurm_job_id");
  h.created = read_string_attr(file, "created");
  if (check(H5Aexists(file, enqueued_attr), "looking for the enqueued attribute") > 0) {
    h.enqueued = read_scalar_attr<std::int64_t>(file, enqueued_attr, H5T_NATIVE_INT64);
    if (h.enqueued < 0) throw LogError(fmt::format("attribute {} is negative ({})", enqueued_attr, h.enqueued));
  }
  h.study_text = read_study_file(file);
  h.space = read_space(file);
  return h;
}

}  // namespace h5tune::logfmt
