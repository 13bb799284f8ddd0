#include "log/dynamic_compound.hpp"

#include <fmt/format.h>

#include "log/hdf5_check.hpp"
#include "log/log_schema.hpp"

namespace h5tune::hdf5 {

std::size_t DynamicCompound::add(const std::string& name, hid_t native_type) {
  const std::size_t offset = size_;
  fields_.push_back(Field{name, offset, 0, native_type});
  size_ += H5Tget_size(native_type);
  return offset;
}

std::size_t DynamicCompound::add_string(const std::string& name, std::size_t size) {
  if (size == 0) size = 1;
  const std::size_t offset = size_;
  fields_.push_back(Field{name, offset, size, H5I_INVALID_HID});
  size_ += size;
  return offset;
}

Datatype DynamicCompound::type() const {
  Datatype type(check(H5Tcreate(H5T_COMPOUND, size_ == 0 ? 1 : size_), "creating a row type"));
  for (const auto& field : fields_) {
    const std::string what = fmt::format("adding field '{}' to a row type", field.name);
    if (field.string_size > 0) {
      const Datatype text = logfmt::fixed_string_type(field.string_size);
      check(H5Tinsert(type.get(), field.name.c_str(), field.offset, text.get()), what);
    } else {
      check(H5Tinsert(type.get(), field.name.c_str(), field.offset, field.native_type), what);
    }
  }
  return type;
}

bool has_member(hid_t file, const char* path, const char* member) {
  const std::string what = fmt::format("inspecting the row type of {}", path);
  Dataset dataset(check(H5Dopen2(file, path, H5P_DEFAULT), fmt::format("opening {}", path)));
  Datatype type(check(H5Dget_type(dataset.get()), what));
  if (H5Tget_class(type.get()) != H5T_COMPOUND) return false;
  if (H5Tget_member_index(type.get(), member) >= 0) return true;
  H5Eclear2(H5E_DEFAULT);
  return false;
}

std::size_t string_member_size(hid_t file, const char* path, const char* member) {
  const std::string what = fmt::format("inspecting the row type of {}", path);
  Dataset dataset(check(H5Dopen2(file, path, H5P_DEFAULT), fmt::format("opening {}", path)));
  Datatype type(check(H5Dget_type(dataset.get()), what));
  if (H5Tget_class(type.get()) != H5T_COMPOUND) return 0;
  const int index = H5Tget_member_index(type.get(), member);
  if (index < 0) {
    H5Eclear2(H5E_DEFAULT);
    return 0;
  }
  Datatype member_type(check(H5Tget_member_type(type.get(), static_cast<unsigned>(index)), what));
  if (H5Tget_class(member_type.get()) != H5T_STRING) return 0;
  if (check(H5Tis_variable_str(member_type.get()), what) > 0) return 0;
  return H5Tget_size(member_type.get());
}

}  // namespace h5tune::hdf5
