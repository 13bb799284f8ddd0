#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "h5tune/trial.hpp"

namespace h5tune {

/// The early-stopping rules h5tune knows (docs/stopping.md).
enum class StoppingKind : std::uint8_t {
  median = 0,     ///< Optuna's MedianPruner
  asha = 1,       ///< asynchronous successive halving (Li et al. 2018)
  hyperband = 2,  ///< several ASHA brackets (Li et al. 2017)
};

/// "median", "asha", "hyperband".
std::string_view to_string(StoppingKind kind) noexcept;
/// Inverse of to_string; nullopt for an unknown name.
std::optional<StoppingKind> parse_stopping_kind(std::string_view name) noexcept;

/// The `[stopping]` table of a study file: which rule stops trials early on their
/// intermediate reports, and its settings. The resource is the reported `step`; the
/// direction is the study's.
struct StoppingConfig {
  StoppingKind kind = StoppingKind::asha;
  std::string metric;                  ///< reported metric the rule reads; empty: the study's metric
  std::int64_t min_resource = 1;       ///< asha/hyperband: step of the first rung (>= 1)
  std::int64_t max_resource = 0;       ///< asha/hyperband: a trial's full budget in steps; required
  std::int64_t reduction_factor = 3;   ///< asha/hyperband: eta (>= 2); the top 1/eta of a rung go on
  bool shared_rungs = false;           ///< hyperband: a value at a step counts in every bracket's rung there
  std::int64_t warmup_trials = 5;      ///< median: completed trials before any trial is stopped
  std::int64_t warmup_steps = 0;       ///< median: no trial is stopped at a step below this
  friend bool operator==(const StoppingConfig&, const StoppingConfig&) = default;
};

/// Why a StoppingConfig cannot work (e.g. "max_resource (9) must be greater than
/// min_resource (9)"), or an empty string when it is fine.
std::string check_stopping_config(const StoppingConfig& config);

/// Decides, report by report, whether a running trial should stop early. Lives at rank 0:
/// the runtime calls should_stop() for every intermediate report that carries the rule's
/// metric and finished() once per trial. Deterministic: the same sequence of calls gives
/// the same decisions. Once should_stop() returned true for a trial it keeps returning true
/// for that trial and records nothing more of it (reports already on their way are ignored).
class StoppingRule {
 public:
  virtual ~StoppingRule() = default;
  /// Trial `trial` reported `value` at `step` (NaN allowed: it stops the trial).
  /// True: stop the trial now.
  virtual bool should_stop(std::int64_t trial, std::int64_t step, double value) = 0;
  /// The trial ended (any state); its id is not seen again.
  virtual void finished(const TrialRecord& trial) = 0;
  virtual StoppingKind kind() const noexcept = 0;
};

/// The rule `config` names, comparing values in `direction`; `seed` (derived from the study
/// seed) drives the rule's own choices, such as Hyperband's brackets. Throws InputError
/// when check_stopping_config() finds a problem.
std::unique_ptr<StoppingRule> make_stopping_rule(const StoppingConfig& config, Direction direction,
                                                 std::uint64_t seed = 0);

}  // namespace h5tune
