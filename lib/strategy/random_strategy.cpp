#include "strategy/random_strategy.hpp"

#include "strategy/state_archive.hpp"

namespace h5tune {

RandomStrategy::RandomStrategy(const Options& /*options*/, const Space& space, std::uint64_t seed)
    : space_(space), rng_(seed) {}

std::vector<Suggestion> RandomStrategy::ask(std::size_t n,
                                            const std::vector<TrialRecord>& /*pending*/) {
  std::vector<Suggestion> out(n);
  for (auto& s : out) {
    s.values.resize(space_.size());
    for (std::size_t i = 0; i < space_.size(); ++i)
      s.values[i] = space_.from_unit(i, uniform01(rng_));
  }
  return out;
}

// Non-adaptive: results do not change what comes next.
void RandomStrategy::tell(const TrialRecord& /*trial*/) {}

void RandomStrategy::save(std::ostream& out) const {
  strategy_state::save(out, kind_name, space_.size(), [&](auto& ar) {
    const std::string rng = strategy_state::rng_to_text(rng_);
    ar << rng;
  });
}

void RandomStrategy::load(std::istream& in) {
  strategy_state::load(in, kind_name, space_.size(), [&](auto& ar) {
    std::string rng;
    ar >> rng;
    rng_ = strategy_state::rng_from_text(rng);
  });
}

}  // namespace h5tune
