#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"
#include "strategy/pbt/perturb.hpp"

namespace h5tune {

/// Asynchronous Population Based Training.
/// Reference: M. Jaderberg et al., "Population Based Training of Neural Networks",
/// arXiv:1711.09846, 2017; the asynchronous truncation-selection variant of Ray Tune's
/// PopulationBasedTraining.
///
/// A population of `population` (default 8) members trains in segments: each trial is one
/// segment of `interval` (default 1) steps of one member (Suggestion::budget = interval,
/// the steps of this segment, not a total), restoring the checkpoint of
/// Suggestion::parent (-1 for a member's first segment). Members start at random points.
/// When a member's segment completes, the member is ranked against the latest scores of
/// the whole population at that moment (no generation barrier): in the bottom `quantile`
/// (default 0.25; ceil(quantile * n) of the n scored members, at most n/2) it *exploits*
/// a uniformly chosen top-quantile member, whose latest complete segment becomes its
/// parent, and *explores* that member's hyperparameters with pbt::explore (factors 0.8
/// and 1.2, `resample_probability` default 0.25); otherwise it continues from its own
/// segment with the same hyperparameters. A segment's generation is its parent's plus one
/// (0 without a parent), i.e. the segments the model behind it has trained; with
/// `generations` = G > 0 a member stops after a segment of generation G-1 and the strategy
/// is exhausted when every member has; with 0 (default) the study's max_trials bounds it.
///
/// Failed, pruned or NaN segments: the member exploits and explores a top-quantile member
/// as if it were at the bottom; while no member has a score, it retries from its own latest
/// checkpoint (or from scratch) with resampled hyperparameters. An interrupted segment
/// runs again unchanged. Trial ids are the suggestions' order (the runtime numbers trials
/// as it asks), re-synchronized from the ids of pending and told trials.
///
/// Checkpoint retention: released_checkpoints() names the trials whose checkpoints no
/// member's latest segment, queued or running segment still needs, once each.
class PbtStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "pbt";
  static std::vector<OptionSpec> option_specs();
  /// Trials continue their parent's checkpoint (see strategy_resumes_checkpoints).
  static constexpr bool resumes_checkpoints = true;

  PbtStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  bool exhausted() const noexcept override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;
  std::vector<std::int64_t> released_checkpoints() override;

  /// One member of the population.
  struct Member {
    std::vector<double> values;   ///< hyperparameters of its next (or running) segment
    std::int64_t parent = -1;     ///< checkpoint its next (or running) segment restores
    std::int64_t generation = 0;  ///< generation of its next (or running) segment
    std::int64_t last = -1;       ///< its latest complete segment (its checkpoint), -1: none
    std::vector<double> last_values;   ///< hyperparameters of `last`
    std::int64_t last_generation = -1;  ///< generation of `last`
    double score = 0.0;           ///< value of `last`, negated when maximizing (smaller is better)
    bool running = false;         ///< a segment of it is out
    bool done = false;            ///< reached `generations`
  };
  const std::vector<Member>& members() const noexcept { return members_; }

 private:
  void after_complete(std::size_t m);
  void after_failure(std::size_t m);
  /// The top-quantile members `m` may copy (never `m`), and whether `m` is in the bottom.
  std::vector<std::size_t> top_members(std::size_t m, bool& bottom) const;
  void exploit(std::size_t m, std::size_t from);
  void release_if_unused(std::int64_t checkpoint);
  bool finished(std::int64_t last_generation) const noexcept;

  Space space_;
  std::size_t population_;
  std::int64_t interval_;
  double quantile_;
  std::int64_t generations_;
  pbt::PerturbSettings perturb_;
  bool maximize_;
  Rng rng_;
  std::vector<Member> members_;
  std::deque<std::size_t> ready_;             ///< members waiting for a rank, in order
  std::map<std::int64_t, std::size_t> out_;   ///< trial id -> member, segments asked not told
  std::int64_t next_id_ = 0;                  ///< id the next suggestion gets
  std::vector<std::int64_t> released_;        ///< not yet taken by released_checkpoints()
};

}  // namespace h5tune
