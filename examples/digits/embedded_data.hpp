#pragma once
// data/digits.csv.gz as bytes, generated into the build tree from embedded_data.cpp.in so the
// program needs no data file at run time (installed, copied or run from any directory).
#include <cstddef>

namespace digits {

extern const unsigned char digits_csv_gz[];
extern const std::size_t digits_csv_gz_size;

}  // namespace digits
