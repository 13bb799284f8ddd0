#pragma once
#include <cstdint>
#include <map>
#include <vector>

#include "core/share_sequence.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"

namespace h5tune {

/// Successive halving and Hyperband with promotions: trials are segments that resume a
/// checkpoint, so no trial is ever promoted without competition.
/// References: L. Li et al., "A System for Massively Parallel Hyperparameter Tuning"
/// (ASHA, MLSys 2020), Algorithm 2, the promotion-based asynchronous successive halving;
/// L. Li et al., "Hyperband", JMLR 18(185), 2017, for the brackets; Ray Tune's
/// HyperBandScheduler pauses trials the same way.
///
/// A configuration is trained rung by rung. Bracket b's rungs are at min_resource ·
/// eta^(b+j) steps, j = 0, 1, ..., while below max_resource, and a last rung at
/// max_resource. A configuration's first trial trains its first rung's steps from scratch
/// (Suggestion::budget = those steps); a promotion is a new trial with the same
/// hyperparameters, Suggestion::parent = the trial that reached the rung (whose checkpoint
/// it restores) and budget = the steps from that rung to the next, so every trial row is
/// one segment of one configuration's training and the log keeps its whole path.
/// Whenever a rank is idle, the highest rung with a configuration that is among the top
/// floor(n / eta) of the n complete trials at that rung and not yet promoted promotes it;
/// when no rung can, a new configuration starts, drawn uniformly at random (the same
/// points, in the same order, as `random` with the same seed). Every trial of
/// configuration k runs with the seed of trial k (Suggestion::seed_of), so configuration k
/// is random search's trial k, parameters and seed: a study run both ways trains the same
/// models, and a resumed segment's seed is its configuration's. With one worker this is
/// successive halving itself; with W workers, ASHA. Unlike the `[stopping]` rules, the
/// first trials at a rung are not let through for want of competitors: they wait for
/// eta of them.
///
/// `brackets` = 1 (default) is successive halving / ASHA; `brackets` = 0 runs all
/// B = floor(log_eta(max_resource / min_resource)) + 1 of Hyperband's brackets (the
/// last trains its configurations to max_resource straight away), `brackets` = k the k
/// most aggressive. New configurations go to the brackets in proportion to Hyperband's
/// budgets ceil(B · eta^s / (s + 1)) along a Weyl sequence started from the seed, as the
/// hyperband stopping rule does. `configs` (default 0: until max_trials) bounds the
/// configurations started; with a bound the strategy is exhausted once nothing is left
/// to promote. Defaults: min_resource 1, max_resource 81, reduction_factor 3.
///
/// A failed, pruned or NaN trial ends its configuration. An interrupted trial stays
/// pending (a resumed run re-runs it with its id). Checkpoints: a trial's checkpoint is
/// released once its promotion has finished or when it failed; the checkpoint of a
/// configuration at its last rung stays.
class HalvingStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "successive_halving";
  static std::vector<OptionSpec> option_specs();
  /// Trials continue their parent's checkpoint (see strategy_resumes_checkpoints).
  static constexpr bool resumes_checkpoints = true;

  HalvingStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  bool exhausted() const noexcept override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;
  std::vector<std::int64_t> released_checkpoints() override;

  std::size_t bracket_count() const noexcept { return rungs_.size(); }
  /// The steps of bracket `bracket`'s rungs, ascending; the last is max_resource.
  const std::vector<std::int64_t>& rung_steps(std::size_t bracket) const { return rungs_.at(bracket); }

 private:
  /// A trial of a configuration that reached a rung.
  struct Result {
    std::int64_t trial = -1;
    std::int64_t config = -1;
    std::uint32_t rung = 0;
    double score = 0;  ///< the value, negated when maximizing: smaller is better
    bool promoted = false;
  };
  /// What a trial asked and not yet told is.
  struct Segment {
    std::int64_t config = -1;
    std::uint32_t rung = 0;
    std::int64_t parent = -1;
  };

  std::size_t bracket_of_config(std::int64_t config) const noexcept { return brackets_.bin_of(config); }
  /// Index into results_ of the result to promote next, or -1.
  std::int64_t next_promotion() const;
  Suggestion start_config();
  void rebuild_index();
  /// Result x ranks before result y at a rung: a better score, ties by trial id.
  bool ranks_before(std::size_t x, std::size_t y) const noexcept;

  Space space_;
  std::int64_t min_resource_;
  std::int64_t max_resource_;
  std::int64_t eta_;
  std::int64_t max_configs_;
  bool maximize_;
  ShareSequence brackets_;                        ///< the bracket of each configuration
  std::vector<std::vector<std::int64_t>> rungs_;  ///< per bracket, the steps of each rung
  Rng rng_;

  std::vector<std::vector<double>> configs_;  ///< hyperparameters of each configuration started
  std::vector<Result> results_;               ///< complete trials, in the order told
  std::map<std::int64_t, Segment> out_;       ///< trial id -> segment, asked and not told
  std::int64_t next_id_ = 0;
  std::vector<std::int64_t> released_;
  /// Per bracket and rung, indices into results_ sorted best first (ties by trial id).
  std::vector<std::vector<std::vector<std::size_t>>> ranked_;
};

}  // namespace h5tune
