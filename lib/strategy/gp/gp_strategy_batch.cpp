// GpStrategy's batch mode: qUCB picks from one scored candidate pool, for pending sets too
// large for one fantasy row each (see the class comment and gp::BatchPool).
#include <algorithm>
#include <cmath>

#include "strategy/gp/gp_strategy.hpp"

namespace h5tune {
namespace {

// Rebuild the pool when the observations grew by max(16, 5 %) since the last build: often
// while the model changes fast, about 140 builds from 300 to 80,000 observations.
constexpr std::uint64_t refresh_min_growth = 16;
constexpr double refresh_growth = 0.05;
// ... or when this share of the pool has been picked (its best candidates are gone).
constexpr std::uint64_t refresh_picked_divisor = 4;
// Observations whose neighbourhoods the pool's perturbations explore.
constexpr std::size_t batch_anchor_count = 8;
// A pending point can only be a pick's duplicate if every coordinate agrees up to the
// rounding of canonical(); the exact test runs on those near matches only.
constexpr double near_tolerance = 1e-9;

}  // namespace

bool GpStrategy::batch_refresh_due() const noexcept {
  if (!batch_built_) return true;
  const auto growth = std::max<std::uint64_t>(
      refresh_min_growth, static_cast<std::uint64_t>(std::ceil(refresh_growth * static_cast<double>(batch_built_at_))));
  if (surrogate_.size() >= batch_built_at_ + growth) return true;
  return batch_picks_ >= std::max<std::uint64_t>(1, batch_.size() / refresh_picked_divisor);
}

void GpStrategy::refresh_batch(const std::vector<TrialRecord>& pending, const std::vector<Suggestion>& picked) {
  const gp::GpModel model = surrogate_.model_for_batch(rng_, batch_model_points_);
  const auto anchors = surrogate_.best_inputs(batch_anchor_count);
  auto raw = gp::candidate_points(codec_, anchors, static_cast<int>(batch_pool_size_), seen_,
                                  effort_.enumerate_limit, rng_);
  // Canonical and distinct, so that a pick is exactly the point a tell will record and no
  // two picks of one pool are the same point.
  gp::PointSet distinct;
  std::vector<std::vector<double>> points;
  for (const auto& values : raw) {
    std::vector<double> c = canonical(values);
    if (seen_.count(c) || !distinct.insert(c).second) continue;
    points.push_back(std::move(c));
  }
  batch_.assign(model, codec_, std::move(points));
  for (const auto& t : pending) batch_.penalize(codec_.encode(t.values));
  for (const auto& s : picked) batch_.penalize(codec_.encode(s.values));
  batch_built_ = true;
  batch_built_at_ = surrogate_.size();
  batch_picks_ = 0;
}

std::vector<Suggestion> GpStrategy::ask_batch(std::size_t n, const std::vector<TrialRecord>& pending) {
  const std::size_t d = space_.size();
  for (const auto& t : pending)
    if (t.values.size() != d) canonical(t.values);  // throws the error naming the sizes
  std::vector<double> span(d);
  for (std::size_t j = 0; j < d; ++j) span[j] = std::abs(space_[j].high - space_[j].low);
  // O(pending) per test, not O(pending) canonical() calls per ask: pending values are earlier
  // suggestions, valid points that canonical() moves by rounding at most.
  const auto is_pending = [&](const std::vector<double>& values) {
    for (const auto& t : pending) {
      bool near = true;
      for (std::size_t j = 0; j < d && near; ++j)
        near = std::abs(t.values[j] - values[j]) <=
               near_tolerance * (std::abs(t.values[j]) + std::abs(values[j]) + span[j]);
      if (near && canonical(t.values) == values) return true;
    }
    return false;
  };
  std::vector<Suggestion> out;
  gp::PointSet picked;
  const TakenTest taken = [&](const std::vector<double>& values) {
    return seen_.count(values) > 0 || picked.count(values) > 0 || is_pending(values);
  };
  auto emit = [&](std::vector<double> values) {
    picked.insert(values);
    out.push_back(Suggestion{std::move(values), -1, 0});
  };

  // The initial design as in ask().
  while (out.size() < n && designing()) {
    auto point = next_design_point(taken);
    if (!point) break;
    emit(std::move(*point));
  }
  if (out.size() == n) return out;
  if (surrogate_.size() == 0) {
    while (out.size() < n) emit(space_.from_unit(std::vector<double>(d, 0.5)));
    return out;
  }

  const auto untaken = [&](const std::vector<double>& values) { return !taken(values); };
  bool just_refreshed = false;
  while (out.size() < n) {
    if (!just_refreshed && batch_refresh_due()) {
      refresh_batch(pending, out);
      just_refreshed = true;
    }
    // qUCB: kappa_i ~ Exponential(mean kappa), by inversion (std:: distributions differ
    // between standard libraries).
    const double kappa = -acquisition_.kappa * std::log(1.0 - uniform01(rng_));
    if (const auto pick = batch_.pick(kappa, untaken)) {
      ++batch_picks_;
      emit(batch_.values(*pick));
      just_refreshed = false;
      continue;
    }
    if (!just_refreshed) {  // the pool ran dry before its schedule: rebuild once
      refresh_batch(pending, out);
      just_refreshed = true;
      continue;
    }
    // Nothing left even in a fresh pool: an exhausted finite space. As in ask(), the best
    // point by acquisition, repeated.
    const gp::GpModel model = surrogate_.model_for_pick(rng_);
    auto best = gp::maximize_acquisition(model, acquisition_, codec_, surrogate_.best_inputs(batch_anchor_count), {},
                                         effort_, rng_);
    if (!best) break;
    while (out.size() < n) emit(*best);
  }
  return out;
}

}  // namespace h5tune
