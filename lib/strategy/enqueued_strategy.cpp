#include "strategy/enqueued_strategy.hpp"

#include <cmath>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "strategy/state_archive.hpp"

namespace h5tune {
namespace {

constexpr std::string_view state_kind = "enqueued";

}  // namespace

EnqueuedStrategy::EnqueuedStrategy(std::unique_ptr<Strategy> inner, const Space& space,
                                   std::vector<std::vector<double>> points, std::uint64_t fill_seed)
    : inner_(std::move(inner)), dims_(space.size()), points_(std::move(points)) {
  Rng rng(fill_seed);
  for (std::size_t k = 0; k < points_.size(); ++k) {
    auto& point = points_[k];
    if (point.size() != space.size())
      throw InputError(fmt::format("enqueued point {} has {} values, the space has {} parameters", k + 1,
                                   point.size(), space.size()));
    // One draw per parameter of every point, used or not, so that filling one parameter in
    // does not change the random values of the others.
    for (std::size_t i = 0; i < point.size(); ++i) {
      const double u = uniform01(rng);
      if (std::isnan(point[i])) point[i] = space.from_unit(i, u);
      if (auto why = space.why_invalid(i, point[i]); !why.empty())
        throw InputError(fmt::format("enqueued point {}: parameter '{}': {}", k + 1, space[i].name, why));
    }
  }
  inner_->expect_enqueued(points_.size());
}

std::vector<Suggestion> EnqueuedStrategy::ask(std::size_t n, const std::vector<TrialRecord>& pending) {
  std::vector<Suggestion> out;
  while (out.size() < n && served_ < points_.size()) out.push_back(Suggestion{points_[served_++], -1, 0});
  if (out.size() == n) return out;
  std::vector<TrialRecord> also_pending = pending;
  for (const auto& s : out) {
    TrialRecord t;
    t.values = s.values;
    t.state = TrialState::running;
    also_pending.push_back(std::move(t));
  }
  auto rest = inner_->ask(n - out.size(), out.empty() ? pending : also_pending);
  for (auto& s : rest) out.push_back(std::move(s));
  return out;
}

void EnqueuedStrategy::save(std::ostream& out) const {
  std::ostringstream inner;
  inner_->save(inner);
  strategy_state::save(out, state_kind, dims_, [&](auto& ar) {
    const std::uint64_t count = points_.size(), served = served_;
    const std::string inner_state = inner.str();
    ar << count << served << inner_state;
  });
}

void EnqueuedStrategy::load(std::istream& in) {
  std::uint64_t count = 0, served = 0;
  std::string inner_state;
  strategy_state::load(in, state_kind, dims_, [&](auto& ar) { ar >> count >> served >> inner_state; });
  if (count != points_.size() || served > count)
    throw InputError(fmt::format("strategy checkpoint: written with {} enqueued points ({} served), the study has {}",
                                 count, served, points_.size()));
  std::istringstream inner(inner_state);
  inner_->load(inner);
  served_ = static_cast<std::size_t>(served);
}

}  // namespace h5tune
