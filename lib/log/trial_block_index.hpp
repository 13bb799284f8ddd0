#pragma once
// Long-form tables (/trials/metrics, /trials/stderr) are appended in roughly trial order.
// To fetch the rows of a slice of trials without reading the whole table each time, a
// reader remembers the smallest and largest trial id of every block it has read; later
// calls skip the blocks that cannot hold the wanted ids. Memory: two ints per block.
#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "log/growing_table.hpp"

namespace h5tune::logfmt {

/// Min/max trial id of each full, completely written block of a long-form table.
class TrialBlockIndex {
 public:
  explicit TrialBlockIndex(hsize_t block_rows) : block_rows_(block_rows) {}

  /// Call on_row(row) for every written row (trial >= 0) whose trial is in [lo, hi),
  /// in table order. Row must have an int64 `trial` member first read as -1 if unwritten.
  template <class Row, class OnRow>
  void scan(const hdf5::GrowingTable& table, std::int64_t lo, std::int64_t hi, OnRow&& on_row) {
    std::vector<Row> rows;
    for (hsize_t block = 0; block * block_rows_ < table.size(); ++block) {
      if (block < ranges_.size() && (ranges_[block].max < lo || ranges_[block].min >= hi)) continue;
      const hsize_t first = block * block_rows_;
      const hsize_t count = std::min(block_rows_, table.size() - first);
      rows.resize(count);
      table.read(first, count, rows.data());
      Range range;
      bool complete = count == block_rows_;
      for (const Row& row : rows) {
        if (row.trial < 0) {  // not written yet (a live file): do not remember this block
          complete = false;
          continue;
        }
        range.min = std::min(range.min, row.trial);
        range.max = std::max(range.max, row.trial);
        if (row.trial >= lo && row.trial < hi) on_row(row);
      }
      if (complete && block == ranges_.size()) ranges_.push_back(range);
    }
  }

 private:
  struct Range {
    std::int64_t min = std::numeric_limits<std::int64_t>::max();
    std::int64_t max = std::numeric_limits<std::int64_t>::min();
  };
  hsize_t block_rows_;
  std::vector<Range> ranges_;
};

}  // namespace h5tune::logfmt
