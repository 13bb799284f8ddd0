#pragma once
// What run, show and export share: the flat one-row-per-trial view of a log.
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "h5tune/log.hpp"
#include "h5tune/runtime.hpp"
#include "h5tune/study.hpp"

namespace h5tune::cli {

/// A cell of the flat trial table: a number (NaN prints as empty/null), a signed or
/// unsigned integer (seeds use all 64 bits), or text.
using Cell = std::variant<double, long long, unsigned long long, std::string>;

/// "1 trial", "0 trials", "40 trials".
std::string trials_text(std::int64_t count);

/// Which trials ran the study's enqueued points (LogHeader::enqueued): "trials 0..4 (the
/// study's [[enqueue]] points)"; empty for none.
std::string enqueued_text(std::int64_t count);

/// Column names of the flat table for a log: fixed columns, then one per parameter (named
/// as the parameter), then one per metric (named as the metric; prefixed "metric." only
/// when that name is already taken).
class TrialTable {
 public:
  TrialTable(const LogHeader& header, std::vector<std::string> hosts, std::vector<std::string> metric_names);
  const std::vector<std::string>& columns() const noexcept { return columns_; }
  /// The cells of one trial, in column order. Ask for the rows in id order (as
  /// for_each_trial visits them): the `generation` column (0 without a parent, else the
  /// parent's plus one) comes from the parent's row; -1 when the parent was not an earlier row.
  std::vector<Cell> row(const TrialRecord& trial);

 private:
  std::int64_t generation(const TrialRecord& trial);

  const Space& space_;
  std::vector<std::string> hosts_;
  std::vector<std::string> metric_names_;
  std::vector<std::string> columns_;
  std::vector<std::int64_t> generations_;  ///< by trial id, of the rows produced so far
};

/// Streams every trial of a log, in id order, in slices of bounded size.
void for_each_trial(const LogReader& log, const std::function<void(const TrialRecord&)>& visit);

/// "lr=0.001 layers=3 act=relu"
std::string format_params(const Space& space, const TrialRecord& trial);

/// The few lines `h5tune run` ends with: counts, the best trial and the log's path.
void print_run_summary(std::ostream& out, const StudyConfig& study, const RunSummary& summary);

}  // namespace h5tune::cli
