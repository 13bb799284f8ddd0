#include "dataset.hpp"

#include <charconv>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

#include "embedded_data.hpp"
#include "gzip_text.hpp"
#include "random.hpp"

namespace digits {
namespace {

constexpr int pixels = 64;
constexpr int max_pixel = 16;
constexpr int classes = 10;

std::runtime_error bad_line(std::size_t line_number, const std::string& what) {
  return std::runtime_error("digits CSV line " + std::to_string(line_number) + ": " + what);
}

/// Reads one line's 65 comma-separated integers.
std::vector<int> parse_row(std::string_view line, std::size_t line_number) {
  std::vector<int> row;
  const char* p = line.data();
  const char* end = line.data() + line.size();
  while (p < end) {
    int value = 0;
    const auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc()) throw bad_line(line_number, "expected an integer");
    row.push_back(value);
    p = next;
    if (p < end && *p != ',') throw bad_line(line_number, "expected ',' between values");
    if (p < end) ++p;
  }
  if (row.size() != pixels + 1)
    throw bad_line(line_number, "expected 65 values (64 pixels and the label), got " + std::to_string(row.size()));
  return row;
}

Dataset columns(const Dataset& all, const std::vector<Eigen::Index>& indices) {
  Dataset out;
  out.features.resize(all.features.rows(), static_cast<Eigen::Index>(indices.size()));
  out.labels.resize(static_cast<Eigen::Index>(indices.size()));
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const auto column = static_cast<Eigen::Index>(k);
    out.features.col(column) = all.features.col(indices[k]);
    out.labels(column) = all.labels(indices[k]);
  }
  return out;
}

}  // namespace

Dataset parse_csv(const std::string& text) {
  std::vector<std::vector<int>> rows;
  std::size_t line_number = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_number;
    if (!line.empty()) rows.push_back(parse_row(line, line_number));
    begin = end + 1;
  }
  if (rows.empty()) throw std::runtime_error("digits CSV: no samples");

  Dataset data;
  data.features.resize(pixels, static_cast<Eigen::Index>(rows.size()));
  data.labels.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto column = static_cast<Eigen::Index>(i);
    for (int j = 0; j < pixels; ++j) {
      const int value = rows[i][static_cast<std::size_t>(j)];
      if (value < 0 || value > max_pixel) throw std::runtime_error("digits CSV: pixel outside 0..16");
      data.features(j, column) = static_cast<double>(value) / max_pixel;
    }
    const int label = rows[i][pixels];
    if (label < 0 || label >= classes) throw std::runtime_error("digits CSV: label outside 0..9");
    data.labels(column) = label;
  }
  return data;
}

Dataset embedded_digits() { return parse_csv(gunzip(digits_csv_gz, digits_csv_gz_size)); }

Dataset read_digits_file(const std::string& path) { return parse_csv(read_maybe_gzipped_file(path)); }

Split split(const Dataset& all, double validation_fraction, std::uint64_t split_seed) {
  std::vector<Eigen::Index> order(static_cast<std::size_t>(all.size()));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::mt19937_64 rng(split_seed);
  shuffle(order, rng);
  const auto held_out = static_cast<std::size_t>(validation_fraction * static_cast<double>(order.size()) + 0.5);
  if (held_out == 0 || held_out >= order.size())
    throw std::runtime_error("validation fraction leaves an empty training or validation set");
  const auto cut = order.begin() + static_cast<std::ptrdiff_t>(order.size() - held_out);
  return {columns(all, {order.begin(), cut}), columns(all, {cut, order.end()})};
}

}  // namespace digits
