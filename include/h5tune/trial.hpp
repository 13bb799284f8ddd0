#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace h5tune {

/// The life of a trial. Stored as these numbers in the log: never renumber.
enum class TrialState : std::uint8_t {
  pending = 0,      ///< suggested, not yet started on a rank
  running = 1,      ///< handed to a rank, no result yet
  complete = 2,     ///< finished with a finite objective value
  failed = 3,       ///< crashed, timed out, or gave no usable objective value
  pruned = 4,       ///< stopped early by a stopping rule
  interrupted = 5,  ///< stopped because the run stopped (signal, time budget): run it again on resume
};

/// "pending", "running", "complete", "failed", "pruned", "interrupted".
std::string_view to_string(TrialState state) noexcept;
/// Inverse of to_string; nullopt for an unknown name.
std::optional<TrialState> parse_trial_state(std::string_view name) noexcept;
/// True for the states a trial never leaves (complete, failed, pruned, interrupted).
bool is_finished(TrialState state) noexcept;

/// One named number an objective produced.
struct Metric {
  std::string name;
  double value = 0.0;
  friend bool operator==(const Metric&, const Metric&) = default;
};
using Metrics = std::vector<Metric>;

/// The value of the metric called `name`, if present.
std::optional<double> find_metric(const Metrics& metrics, std::string_view name) noexcept;

/// Whether the objective metric is minimized or maximized.
enum class Direction : std::uint8_t { minimize = 0, maximize = 1 };
std::string_view to_string(Direction direction) noexcept;

/// Everything known about one trial: the plain value type that travels in messages,
/// is told to strategies and becomes one row of the log (as Optuna's FrozenTrial).
struct TrialRecord {
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();

  std::int64_t id = -1;                       ///< dense, from 0, never reused in a study
  std::uint64_t seed = 0;                     ///< suggestion_seed(): usually trial_seed(study seed, id)
  TrialState state = TrialState::pending;
  std::vector<double> values;                 ///< parameter values in Space order
  double value = nan;                         ///< the objective metric (NaN unless complete)
  Metrics metrics;                            ///< every final metric the objective gave
  int rank = -1;                              ///< MPI rank that ran it (1 in one process: its worker)
  int host = -1;                              ///< index into the log's host table
  double t_created = nan;                     ///< Unix seconds: suggested
  double t_started = nan;                     ///< Unix seconds: started, by its worker's clock
  double t_finished = nan;                    ///< Unix seconds: finished, by its worker's clock
  std::int64_t parent = -1;                   ///< trial this one continues (PBT), or -1
  std::int64_t budget = 0;                    ///< resource the trial may use (0: unlimited)
  std::int32_t attempt = 0;                   ///< re-runs of this trial (resume, retries)
  std::string message;                        ///< why it failed / was stopped; empty if complete
  std::string stderr_tail;                    ///< last bytes of a command's stderr, whatever the state

  friend bool operator==(const TrialRecord&, const TrialRecord&) = default;
};

/// The record of running logged trial `logged` again (resume, `h5tune replay`): its id,
/// seed, parameters, parent, budget, attempt, rank, host and creation time, state running,
/// no results, timings or messages of the earlier run. Callers set what differs (rank,
/// attempt).
TrialRecord rerun_record(const TrialRecord& logged);

/// One intermediate report of a running trial: a point of its learning curve.
struct Report {
  std::int64_t trial = -1;
  std::int64_t step = 0;
  double time = TrialRecord::nan;  ///< Unix seconds at the worker
  Metrics metrics;
  std::int32_t attempt = 0;  ///< the trial's attempt that reported (a re-run reports its steps again)
  friend bool operator==(const Report&, const Report&) = default;
};

}  // namespace h5tune
