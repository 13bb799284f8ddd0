#include "strategy/sobol_strategy.hpp"

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "strategy/state_archive.hpp"

namespace h5tune {
namespace {

const OptionSpec scramble_spec{"scramble", OptionType::boolean, true,
                               "randomize the sequence with a seeded digital shift", 0.0, 1.0};
const OptionSpec skip_spec{"skip", OptionType::integer, std::int64_t{0},
                           "points to drop at the start of the sequence", 0.0, 0x1.0p62};

// Boost's generator needs at least one coordinate; an empty space gets one that is never
// read, so that ask() returns empty points like the other strategies.
std::size_t engine_dims(const Space& space) {
  constexpr std::size_t max_dims = boost::random::default_sobol_table::max_dimension;
  if (space.size() > max_dims)
    throw InputError(fmt::format("strategy 'sobol' supports at most {} parameters, the space has {}",
                                 max_dims, space.size()));
  return space.empty() ? 1 : space.size();
}

// The top 53 bits of a 64-bit Sobol coordinate as a double in [0, 1).
double to_unit_interval(std::uint64_t x) noexcept {
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

}  // namespace

std::vector<OptionSpec> SobolStrategy::option_specs() { return {scramble_spec, skip_spec}; }

SobolStrategy::SobolStrategy(const Options& options, const Space& space, std::uint64_t seed)
    : space_(space),
      engine_(engine_dims(space)),
      masks_(space.size(), 0),
      next_index_(static_cast<std::uint64_t>(options.get_int(skip_spec))) {
  if (options.get_bool(scramble_spec)) {
    Rng rng(seed);
    for (auto& m : masks_) m = rng();
  }
  seek();
}

void SobolStrategy::seek() {
  // Boost's position k yields sequence point k + 1; point 0 (the origin) is ours.
  engine_.seed(next_index_ == 0 ? 0 : next_index_ - 1);
}

std::vector<Suggestion> SobolStrategy::ask(std::size_t n,
                                           const std::vector<TrialRecord>& /*pending*/) {
  std::vector<Suggestion> out(n);
  for (auto& s : out) {
    s.values.resize(space_.size());
    const bool origin = next_index_ == 0;
    for (std::size_t j = 0; j < space_.size(); ++j) {
      const std::uint64_t raw = origin ? 0 : engine_();
      s.values[j] = space_.from_unit(j, to_unit_interval(raw ^ masks_[j]));
    }
    ++next_index_;
  }
  return out;
}

// Non-adaptive: results do not change what comes next.
void SobolStrategy::tell(const TrialRecord& /*trial*/) {}

void SobolStrategy::save(std::ostream& out) const {
  strategy_state::save(out, kind_name, space_.size(), [&](auto& ar) { ar << masks_ << next_index_; });
}

void SobolStrategy::load(std::istream& in) {
  std::vector<std::uint64_t> masks;
  std::uint64_t next_index = 0;
  strategy_state::load(in, kind_name, space_.size(), [&](auto& ar) { ar >> masks >> next_index; });
  if (masks.size() != space_.size())
    throw InputError("strategy checkpoint of 'sobol' is corrupt: wrong number of shift masks");
  masks_ = std::move(masks);
  next_index_ = next_index;
  seek();
}

}  // namespace h5tune
