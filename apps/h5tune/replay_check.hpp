#pragma once
// `h5tune replay`'s verdicts: a logged trial against its re-run, metric by metric.
#include <string>
#include <vector>

#include "h5tune/trial.hpp"

namespace h5tune::cli {

/// How close a replayed number must be to the logged one: |logged - replayed| <= atol +
/// rtol * |logged| (numpy.isclose's rule). The default, both zero, asks for the same bits
/// (NaN matches NaN, an infinity matches the same infinity).
struct Tolerance {
  double rtol = 0.0;
  double atol = 0.0;
  bool close(double logged, double replayed) const noexcept;
};

/// One line of the replay table.
struct CheckRow {
  std::string what;      ///< "state", a metric name, or "curve <metric>"
  std::string logged;
  std::string replayed;
  double abs_diff = 0.0;  ///< NaN when not a number comparison
  bool ok = false;
};

/// Compares a logged trial with the result of re-running it. Rows: the state, then every
/// final metric (logged order, then metrics only the replay produced), then one row per
/// learning-curve metric giving the largest difference over the steps both runs reported
/// (a step only one run reported fails the row).
std::vector<CheckRow> check_replay(const TrialRecord& logged, const std::vector<Report>& logged_reports,
                                   TrialState replayed_state, const Metrics& replayed_metrics,
                                   const std::vector<Report>& replayed_reports, const Tolerance& tolerance);

}  // namespace h5tune::cli
