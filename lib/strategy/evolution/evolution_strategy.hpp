#pragma once
#include <cstdint>
#include <deque>
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"
#include "strategy/evolution/mutation.hpp"

namespace h5tune {

/// Asynchronous steady-state regularized ("aging") evolution.
/// Reference: E. Real, A. Aggarwal, Y. Huang, Q. V. Le, "Regularized Evolution for Image
/// Classifier Architecture Search", AAAI 2019.
///
/// The population is the `population` (default 50) most recent complete results, oldest
/// first: a new result pushes out the oldest one whatever its value (aging), which keeps the
/// search from clinging to one lucky individual. Each ask is answered at once, so idle
/// ranks never wait for a generation: until the population is full, a uniformly random
/// point; then a tournament of `tournament` (default 10) distinct random members, whose best
/// is the parent, and with probability `crossover` (default 0) a second tournament and a
/// uniform crossover of both winners; the child is a mutation of that (see mutate()).
/// Failed, pruned and interrupted trials and NaN values do not join the population;
/// pending trials are ignored. Values are minimized, or maximized under the hidden option
/// `direction = "maximize"`.
class EvolutionStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "evolution";
  static std::vector<OptionSpec> option_specs();

  EvolutionStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  /// One member of the population.
  struct Member {
    std::int64_t id = -1;
    std::vector<double> values;  ///< parameter values in Space order
    double score = 0.0;          ///< the value, negated when maximizing: smaller is better
  };
  /// The population, oldest first.
  const std::deque<Member>& population() const noexcept { return population_; }

 private:
  std::vector<double> random_point();
  std::vector<double> child();
  const Member& tournament();

  Space space_;
  std::size_t population_size_;
  std::size_t tournament_size_;
  double crossover_;
  MutationSettings mutation_;
  bool maximize_;
  Rng rng_;
  std::deque<Member> population_;
  std::vector<double> scores_;  ///< scratch: the population's scores, for a tournament
};

}  // namespace h5tune
