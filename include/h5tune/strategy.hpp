#pragma once
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "h5tune/options.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/space.hpp"
#include "h5tune/trial.hpp"

namespace h5tune {

/// One point a strategy proposes to evaluate.
struct Suggestion {
  std::vector<double> values;  ///< parameter values in Space order
  std::int64_t parent = -1;    ///< trial continued from (PBT), or -1
  std::int64_t budget = 0;     ///< resource for this trial (0: unlimited)
  /// The trial runs with the seed trial `seed_of` of the study would have, or with its own
  /// (-1). A configuration trained in several trials keeps one seed, the one random search
  /// gives the trial with the same parameters (successive_halving), so the two train the
  /// same model and compare paired.
  std::int64_t seed_of = -1;
};

/// The seed trial `trial_id` runs `suggestion` with, in a study seeded with `study_seed`.
inline std::uint64_t suggestion_seed(std::uint64_t study_seed, std::int64_t trial_id,
                                     const Suggestion& suggestion) noexcept {
  return trial_seed(study_seed, suggestion.seed_of >= 0 ? suggestion.seed_of : trial_id);
}

/// A search strategy in ask/tell form (Optuna's ask/tell, libEnsemble's suggest/ingest):
/// the runtime asks for points and tells finished trials back, and the strategy owns no
/// loop, clock, thread or global RNG. Given its seed and the sequence of ask/tell calls it
/// is deterministic, so a run can be replayed from the log's event journal.
class Strategy {
 public:
  virtual ~Strategy() = default;

  /// The kind name, as in the study file ("random", "grid", ...).
  virtual std::string_view kind() const noexcept = 0;

  /// Up to `n` new points. Fewer, even none, when the strategy waits for results (a
  /// generation barrier) or has nothing left (see exhausted()). `pending` are the
  /// trials asked for but not yet told, for strategies that take them into account.
  virtual std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) = 0;

  /// A trial reached a finished state (complete, failed, pruned, interrupted).
  virtual void tell(const TrialRecord& trial) = 0;

  /// The study's first `count` trials are points the user enqueued (StudyConfig::enqueued),
  /// asked for in front of this strategy and told to it like its own; called once, before
  /// the first ask. A strategy with an initial design counts them in it, as Optuna's
  /// n_startup_trials and scikit-optimize's n_initial_points count every result. Default:
  /// nothing.
  virtual void expect_enqueued(std::size_t /*count*/) {}

  /// True when the strategy will never suggest again (a finished grid).
  virtual bool exhausted() const noexcept { return false; }

  /// Trials whose checkpoints the strategy will never name as a parent again (PBT), each
  /// once, taken by the call; the runtime deletes their checkpoint directories
  /// (docs/strategies.md, "pbt"). Default: none.
  virtual std::vector<std::int64_t> released_checkpoints() { return {}; }

  /// Strategy state for resume (Boost.Serialization binary archive).
  virtual void save(std::ostream& out) const = 0;
  virtual void load(std::istream& in) = 0;
};

/// What a study asks for: a strategy kind and its options.
struct StrategyConfig {
  std::string kind = "random";
  Options options;
  friend bool operator==(const StrategyConfig&, const StrategyConfig&) = default;
};

/// The strategy kinds this build knows, in the order the docs list them.
std::vector<std::string> strategy_kinds();

/// True when trials of this kind continue their parent's checkpoint (pbt,
/// successive_halving): the runtime then hands each trial H5TUNE_CHECKPOINT_DIR and
/// H5TUNE_RESTORE_FROM. False for an unknown kind.
bool strategy_resumes_checkpoints(std::string_view kind);

/// The options a strategy kind accepts; throws InputError for an unknown kind.
const std::vector<OptionSpec>& strategy_options(std::string_view kind);

/// Build the strategy `config.kind` over `space`, seeded with `seed` (derive it from the
/// study seed with SeedStream::strategy). Throws InputError for an unknown kind.
std::unique_ptr<Strategy> make_strategy(const StrategyConfig& config, const Space& space,
                                        std::uint64_t seed);

}  // namespace h5tune
