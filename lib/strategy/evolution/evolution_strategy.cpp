#include "strategy/evolution/evolution_strategy.hpp"

#include <cmath>

#include "strategy/evolution/tournament.hpp"
#include "strategy/state_archive.hpp"
#include "strategy/study_direction.hpp"

namespace h5tune {
namespace {

const OptionSpec evolution_population_spec{"population", OptionType::integer, std::int64_t{50},
                                 "most recent results kept (the oldest leaves first)", 2.0, 1e9};
const OptionSpec tournament_spec{"tournament", OptionType::integer, std::int64_t{10},
                                 "members sampled per tournament; the best one is a parent", 1.0, 1e9};
const OptionSpec scale_spec{"mutation_scale", OptionType::real, 0.1,
                            "std of a float/int mutation step, in unit-cube units", 1e-6, 1.0};
const OptionSpec rate_spec{"mutation_rate", OptionType::real, 0.0,
                           "probability that each parameter mutates (0: 1/d); one always does", 0.0, 1.0};
const OptionSpec crossover_spec{"crossover", OptionType::real, 0.0,
                                "probability of a uniform crossover with a second tournament winner", 0.0, 1.0};

}  // namespace

std::vector<OptionSpec> EvolutionStrategy::option_specs() {
  return {evolution_population_spec, tournament_spec, scale_spec, rate_spec, crossover_spec};
}

EvolutionStrategy::EvolutionStrategy(const Options& options, const Space& space, std::uint64_t seed)
    : space_(space),
      population_size_(static_cast<std::size_t>(options.get_int(evolution_population_spec))),
      tournament_size_(static_cast<std::size_t>(options.get_int(tournament_spec))),
      crossover_(options.get_real(crossover_spec)),
      mutation_{options.get_real(scale_spec), options.get_real(rate_spec)},
      maximize_(maximizes(options, kind_name)),
      rng_(seed) {}

std::vector<double> EvolutionStrategy::random_point() {
  std::vector<double> v(space_.size());
  for (std::size_t j = 0; j < v.size(); ++j) v[j] = space_.from_unit(j, uniform01(rng_));
  return v;
}

const EvolutionStrategy::Member& EvolutionStrategy::tournament() {
  const auto sample = tournament_sample(population_.size(), tournament_size_, rng_);
  return population_[tournament_winner(sample, scores_)];
}

std::vector<double> EvolutionStrategy::child() {
  scores_.clear();
  for (const auto& m : population_) scores_.push_back(m.score);
  std::vector<double> parent = tournament().values;
  if (crossover_ > 0.0 && uniform01(rng_) < crossover_)
    parent = uniform_crossover(parent, tournament().values, rng_);
  return mutate(space_, parent, mutation_, rng_);
}

std::vector<Suggestion> EvolutionStrategy::ask(std::size_t n,
                                               const std::vector<TrialRecord>& /*pending*/) {
  std::vector<Suggestion> out(n);
  for (auto& s : out)
    s.values = population_.size() < population_size_ ? random_point() : child();
  return out;
}

void EvolutionStrategy::tell(const TrialRecord& trial) {
  if (trial.state != TrialState::complete || !std::isfinite(trial.value)) return;
  if (trial.values.size() != space_.size()) return;  // not a point of this space
  population_.push_back({trial.id, trial.values, maximize_ ? -trial.value : trial.value});
  while (population_.size() > population_size_) population_.pop_front();  // aging
}

void EvolutionStrategy::save(std::ostream& out) const {
  strategy_state::save(out, kind_name, space_.size(), [&](auto& ar) {
    const std::string rng = strategy_state::rng_to_text(rng_);
    std::vector<std::int64_t> ids;
    std::vector<double> values, scores;
    for (const auto& m : population_) {
      ids.push_back(m.id);
      values.insert(values.end(), m.values.begin(), m.values.end());
      scores.push_back(m.score);
    }
    ar << rng << ids << values << scores;
  });
}

void EvolutionStrategy::load(std::istream& in) {
  strategy_state::load(in, kind_name, space_.size(), [&](auto& ar) {
    std::string rng_text;
    std::vector<std::int64_t> ids;
    std::vector<double> values, scores;
    ar >> rng_text >> ids >> values >> scores;
    if (scores.size() != ids.size() || values.size() != ids.size() * space_.size())
      throw InputError("strategy checkpoint of 'evolution': the population is corrupt");
    Rng rng = strategy_state::rng_from_text(rng_text);
    std::deque<Member> population;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto first = values.begin() + static_cast<std::ptrdiff_t>(i * space_.size());
      population.push_back({ids[i], {first, first + static_cast<std::ptrdiff_t>(space_.size())}, scores[i]});
    }
    while (population.size() > population_size_) population.pop_front();
    rng_ = rng;
    population_ = std::move(population);
  });
}

}  // namespace h5tune
