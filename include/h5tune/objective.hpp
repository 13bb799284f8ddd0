#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "h5tune/space.hpp"
#include "h5tune/trial.hpp"

namespace h5tune {

/// Where a trial saves its checkpoint and where it restores one from (PBT; the contract is
/// in docs/strategies.md, "pbt"). Both empty unless the strategy continues trials from
/// checkpoints; `restore` is empty for a trial without a parent.
struct CheckpointPaths {
  std::filesystem::path save;     ///< H5TUNE_CHECKPOINT_DIR, `{checkpoint_dir}`
  std::filesystem::path restore;  ///< H5TUNE_RESTORE_FROM, `{restore_from}`
};

/// What an objective sees of the trial it evaluates: its id, seed, budget, working
/// directory, checkpoint directories and its parameters by name (as Optuna's `trial.params`).
class Trial {
 public:
  Trial(const Space& space, const TrialRecord& record, std::filesystem::path dir,
        CheckpointPaths checkpoints = {});

  std::int64_t id() const noexcept { return record_->id; }
  /// The trial's own seed: seed every random choice of the evaluation from it.
  std::uint64_t seed() const noexcept { return record_->seed; }
  /// Resource the trial may use, in reported steps (0: no limit).
  std::int64_t budget() const noexcept { return record_->budget; }
  /// Trial this one continues from (PBT), or -1.
  std::int64_t parent() const noexcept { return record_->parent; }
  /// A directory for this trial's files (may be empty for in-process objectives that
  /// asked for none).
  const std::filesystem::path& dir() const noexcept { return dir_; }
  /// Where to save this trial's checkpoint at the end (PBT), or empty. Not created: create
  /// it when saving.
  const std::filesystem::path& checkpoint_dir() const noexcept { return checkpoints_.save; }
  /// The parent trial's checkpoint directory to continue from (PBT), or empty.
  const std::filesystem::path& restore_from() const noexcept { return checkpoints_.restore; }
  const CheckpointPaths& checkpoints() const noexcept { return checkpoints_; }

  /// A float or integer parameter as a double. Throws InputError for an unknown name or
  /// a categorical parameter.
  double number(std::string_view name) const;
  /// An integer parameter. Throws InputError for an unknown name or another kind.
  std::int64_t integer(std::string_view name) const;
  /// A categorical parameter's choice. Throws InputError for an unknown name or another kind.
  const std::string& choice(std::string_view name) const;
  /// Any parameter as text ("0.001", "3", "relu").
  std::string text(std::string_view name) const;

  const Space& space() const noexcept { return *space_; }
  std::span<const double> values() const noexcept { return record_->values; }
  const TrialRecord& record() const noexcept { return *record_; }

 private:
  std::size_t index(std::string_view name) const;
  const Space* space_;
  const TrialRecord* record_;
  std::filesystem::path dir_;
  CheckpointPaths checkpoints_;
};

/// The channel from a running evaluation back to rank 0.
class Reporter {
 public:
  virtual ~Reporter() = default;
  /// Send intermediate metrics at `step` (a point of the learning curve). Returns false
  /// when the trial should stop now (pruned, or the run is stopping): return at once.
  virtual bool report(std::int64_t step, const Metrics& metrics) = 0;
  /// True once the trial has been asked to stop; cheap enough to poll in a loop.
  virtual bool should_stop() = 0;
};

/// Outcome::message of an evaluation that ended because it was asked to stop. The runtime
/// replaces it in the log with why rank 0 asked ("pruned by the asha rule at step 3",
/// "interrupted: the study's max_time (600 s) ran out", ...).
inline constexpr std::string_view stop_request_message = "stopped on request";

/// How one evaluation ended. `metrics` holds the final metrics; the runtime reads the
/// study's objective metric from it, and a missing or non-finite one fails the trial.
struct Outcome {
  TrialState state = TrialState::complete;  ///< complete, failed, or (when asked to stop) pruned
  Metrics metrics;
  std::string message;      ///< the reason, when not complete
  std::string stderr_tail;  ///< the end of a command's stderr, whatever the outcome
};

/// Evaluates trials. Implementations: CallableObjective (a C++ function linked into the
/// program) and CommandObjective (any external program).
class Objective {
 public:
  virtual ~Objective() = default;
  /// Evaluate one trial. Failures are data: return an Outcome with state failed rather
  /// than throw (an exception escaping is caught and recorded as a failure too).
  virtual Outcome evaluate(const Trial& trial, Reporter& reporter) = 0;
};

/// The signature of an in-process objective.
using ObjectiveFunction = std::function<Metrics(const Trial&, Reporter&)>;

/// An objective that calls a C++ function. An exception thrown by the function fails the
/// trial with the exception's message; returning after Reporter asked to stop marks it
/// pruned.
class CallableObjective final : public Objective {
 public:
  explicit CallableObjective(ObjectiveFunction function);
  Outcome evaluate(const Trial& trial, Reporter& reporter) override;

 private:
  ObjectiveFunction function_;
};

}  // namespace h5tune
