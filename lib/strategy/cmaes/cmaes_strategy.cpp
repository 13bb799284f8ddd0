#include "strategy/cmaes/cmaes_strategy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "h5tune/error.hpp"
#include "strategy/state_archive.hpp"
#include "strategy/study_direction.hpp"

namespace h5tune {
namespace {

const OptionSpec popsize_spec{"popsize", OptionType::integer, std::int64_t{0},
                              "points per generation lambda (0: 4 + floor(3 ln n)); doubles at each restart",
                              0.0, 1e6};
const OptionSpec sigma0_spec{"sigma0", OptionType::real, 1.0 / 6.0,
                             "initial step size, in units of the unit cube's side", 1e-12, 1.0};
const OptionSpec mean_trial_spec{"mean_trial_dims", OptionType::integer, std::int64_t{4},
                                 "evaluate the mean as one extra trial per generation when there are at least this many "
                                 "non-categorical parameters (0: always)",
                                 0.0, 1e6};
const OptionSpec restarts_spec{"restarts", OptionType::boolean, true,
                               "restart with doubled population when the search converges (IPOP)", 0.0, 1.0};

constexpr std::size_t redraws_per_dimension = 10;  // then clip to the cube
constexpr std::uint64_t max_doublings = 9;  // of lambda over all restarts
constexpr double tol_fun = 1e-12;
constexpr double tol_x_relative = 1e-12;   // times sigma0
constexpr double max_condition = 1e14;
constexpr double max_width = 1e3;          // sigma max(D), in cube sides
constexpr double integer_margin = 0.22;    // min std of an integer coordinate / its slice width

std::size_t default_lambda(std::size_t n) {
  return 4 + static_cast<std::size_t>(std::floor(3.0 * std::log(static_cast<double>(n))));
}

}  // namespace

std::vector<OptionSpec> CmaesStrategy::option_specs() {
  return {popsize_spec, sigma0_spec, mean_trial_spec, restarts_spec};
}

CmaesStrategy::CmaesStrategy(const Options& options, const Space& space, std::uint64_t seed)
    : space_(space),
      maximize_(maximizes(options, kind_name)),
      sigma0_(options.get_real(sigma0_spec)),
      restarts_enabled_(options.get_bool(restarts_spec)),
      rng_(seed) {
  for (std::size_t j = 0; j < space_.size(); ++j)
    if (space_[j].kind != ParamKind::categorical) continuous_.push_back(j);
  const auto popsize = static_cast<std::size_t>(options.get_int(popsize_spec));
  if (popsize == 1)
    throw OptionError({std::string(popsize_spec.name)},
                      "strategy 'cmaes', option 'popsize': must be 0 (the default formula) or at least 2");
  if (continuous_.empty()) return;  // random search over the categoricals
  mean_trial_ = continuous_.size() >= static_cast<std::size_t>(options.get_int(mean_trial_spec));
  base_lambda_ = popsize != 0 ? popsize : default_lambda(continuous_.size());
  distribution_ = CmaDistribution(std::vector<double>(continuous_.size(), 0.5), sigma0_, base_lambda_);
  start_generation();
}

std::vector<double> CmaesStrategy::draw_inside_cube() {
  // Up to 10 n draws (Optuna's CmaEsSampler sets the `cmaes` package's resampling limit to
  // 10 n), then the last one clipped: the cap bounds the cost when most of the distribution
  // lies outside the cube, e.g. with the optimum on a face.
  std::vector<double> x;
  for (std::size_t attempt = 0; attempt < redraws_per_dimension * continuous_.size(); ++attempt) {
    x = distribution_.sample(rng_);
    if (std::all_of(x.begin(), x.end(), [](double u) { return u >= 0.0 && u <= 1.0; })) return x;
  }
  for (auto& u : x) u = std::clamp(u, 0.0, 1.0);
  return x;
}

std::vector<double> CmaesStrategy::random_values() {
  std::vector<double> values(space_.size());
  for (std::size_t j = 0; j < values.size(); ++j) values[j] = space_.from_unit(j, uniform01(rng_));
  return values;
}

void CmaesStrategy::start_generation() {
  // The mean's trial, if any, comes first: it is the generation's best guess, and so the
  // first to be handed out when the budget ends mid-generation.
  const std::size_t first = mean_trial_ ? 1 : 0;
  generation_.assign(first + distribution_.lambda(), Member{});
  for (std::size_t i = 0; i < generation_.size(); ++i) {
    Member& m = generation_[i];
    m.mean = i < first;
    if (m.mean) {
      m.x = distribution_.mean();
      for (auto& u : m.x) u = std::clamp(u, 0.0, 1.0);  // inside already: a convex combination
    } else {
      m.x = draw_inside_cube();
    }
    m.values.assign(space_.size(), 0.0);
    for (std::size_t k = 0; k < continuous_.size(); ++k)
      m.values[continuous_[k]] = space_.from_unit(continuous_[k], m.x[k]);
    for (std::size_t j = 0; j < space_.size(); ++j)
      if (space_[j].kind == ParamKind::categorical) m.values[j] = space_.from_unit(j, uniform01(rng_));
  }
}

void CmaesStrategy::finish_generation() {
  // The lambda samples; the mean's trial is not one (it is not drawn from N(m, sigma^2 C))
  // and stays out of the update.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < generation_.size(); ++i)
    if (!generation_[i].mean) order.push_back(i);
  // Finite values first, best first; failed members after them, as the generation's worst.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Member& ma = generation_[a];
    const Member& mb = generation_[b];
    if (ma.ok != mb.ok) return ma.ok;
    return ma.ok && ma.score < mb.score;
  });
  if (generation_[order.front()].ok) {
    // All lambda points: the worse half, failed members last, feed the active (negative)
    // part of the covariance update.
    std::vector<std::vector<double>> best_first;
    for (const std::size_t i : order) best_first.push_back(generation_[i].x);
    distribution_.update(best_first);
    best_history_.push_back(generation_[order.front()].score);
    median_history_.push_back(generation_[order[order.size() / 2]].ok ? generation_[order[order.size() / 2]].score
                                                                       : best_history_.back());
    if (restarts_enabled_ && should_restart()) restart();
  }
  // else: nothing learnt; draw again from the same distribution.
  apply_integer_margin();
  start_generation();
}

bool CmaesStrategy::should_restart() const {
  const CmaDistribution& dist = distribution_;
  const std::size_t n = dist.dimension();
  const double sigma = dist.sigma();
  const auto& c = dist.covariance();
  const auto& d = dist.axis_lengths();
  const auto& m = dist.mean();
  const auto& pc = dist.evolution_path();

  // TolFun: flat best values over a window, and a flat generation.
  const std::size_t window =
      10 + static_cast<std::size_t>(std::ceil(30.0 * static_cast<double>(n) / static_cast<double>(dist.lambda())));
  if (best_history_.size() >= window) {
    double lo = best_history_.back(), hi = lo;
    for (std::size_t i = best_history_.size() - window; i < best_history_.size(); ++i) {
      lo = std::min(lo, best_history_[i]);
      hi = std::max(hi, best_history_[i]);
    }
    for (const Member& member : generation_)
      if (member.ok && !member.mean) {
        lo = std::min(lo, member.score);
        hi = std::max(hi, member.score);
      }
    if (hi - lo < tol_fun) return true;
  }
  // TolX on the real coordinates: the integer ones keep the margin's std by design.
  bool any_real = false, tol_x = true;
  for (std::size_t i = 0; i < n; ++i) {
    const double sd = std::sqrt(c[i * n + i]);
    if (m[i] + 0.2 * sigma * sd == m[i]) return true;  // NoEffectCoord
    if (space_[continuous_[i]].kind == ParamKind::integer) continue;
    any_real = true;
    if (sigma * std::max(sd, std::fabs(pc[i])) >= tol_x_relative * sigma0_) tol_x = false;
  }
  if (any_real && tol_x) return true;
  if (stagnated()) return true;
  const auto [d_min, d_max] = std::minmax_element(d.begin(), d.end());
  if ((*d_max / *d_min) * (*d_max / *d_min) > max_condition) return true;
  return !std::isfinite(sigma) || sigma * *d_max > max_width;
}

namespace {

double median_of(std::vector<double> v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// True when the median of the most recent 30% of `history`'s last `window` entries is not
// below the median of the first 30%.
bool not_improving(const std::vector<double>& history, std::size_t window) {
  const auto end = history.end();
  const auto begin = end - static_cast<std::ptrdiff_t>(window);
  const auto part = static_cast<std::ptrdiff_t>(std::max<std::size_t>(1, window * 3 / 10));
  return median_of({end - part, end}) >= median_of({begin, begin + part});
}

}  // namespace

bool CmaesStrategy::stagnated() const {
  // Stagnation (Hansen's tutorial): over the last 20% of the generations since the restart,
  // at least 120 + 30 n / lambda of them, neither the best nor the median value improved.
  const double n = static_cast<double>(distribution_.dimension());
  const auto min_window = static_cast<std::size_t>(120.0 + std::ceil(30.0 * n / static_cast<double>(distribution_.lambda())));
  const std::size_t g = best_history_.size();
  if (g < min_window) return false;
  const std::size_t window = std::min(g, std::max(min_window, g / 5));
  return not_improving(best_history_, window) && not_improving(median_history_, window);
}

void CmaesStrategy::restart() {
  ++restarts_;
  const std::size_t lambda = base_lambda_ << std::min(restarts_, max_doublings);
  std::vector<double> mean(continuous_.size());
  for (auto& u : mean) u = uniform01(rng_);
  distribution_ = CmaDistribution(std::move(mean), sigma0_, lambda);
  best_history_.clear();
  median_history_.clear();
}

void CmaesStrategy::apply_integer_margin() {
  for (std::size_t k = 0; k < continuous_.size(); ++k) {
    const std::size_t j = continuous_[k];
    const Parameter& p = space_[j];
    if (p.kind != ParamKind::integer) continue;
    // The width of the slice of the cube that the mean's integer owns (or its neighbour's).
    const double v = space_.from_unit(j, distribution_.mean()[k]);
    const double width = v < p.high ? space_.to_unit(j, v + 1.0) - space_.to_unit(j, v)
                                    : space_.to_unit(j, v) - space_.to_unit(j, v - 1.0);
    distribution_.floor_coordinate_std(k, integer_margin * width);
  }
}

void CmaesStrategy::forget_lost(const std::vector<TrialRecord>& pending) {
  std::vector<bool> running(generation_.size(), false);
  for (const TrialRecord& t : pending)
    for (std::size_t i = 0; i < generation_.size(); ++i)
      if (generation_[i].asked && !generation_[i].told && !running[i] && generation_[i].values == t.values) {
        running[i] = true;
        break;
      }
  for (std::size_t i = 0; i < generation_.size(); ++i)
    if (generation_[i].asked && !generation_[i].told && !running[i]) generation_[i].told = true;  // not ok
}

std::vector<Suggestion> CmaesStrategy::ask(std::size_t n, const std::vector<TrialRecord>& pending) {
  std::vector<Suggestion> out;
  if (n == 0) return out;
  if (continuous_.empty()) {
    out.resize(n);
    for (auto& s : out) s.values = random_values();
    return out;
  }
  const auto all = [&](auto pred) { return std::all_of(generation_.begin(), generation_.end(), pred); };
  if (all([](const Member& m) { return m.asked; }) && !all([](const Member& m) { return m.told; })) {
    forget_lost(pending);
    if (all([](const Member& m) { return m.told; })) finish_generation();
  }
  for (Member& m : generation_) {
    if (out.size() == n) break;
    if (m.asked) continue;
    m.asked = true;
    out.push_back(Suggestion{m.values, -1, 0});
  }
  return out;
}

void CmaesStrategy::tell(const TrialRecord& trial) {
  if (continuous_.empty()) return;
  const auto it = std::find_if(generation_.begin(), generation_.end(), [&](const Member& m) {
    return m.asked && !m.told && m.values == trial.values;
  });
  if (it == generation_.end()) return;  // not of this generation (an earlier one, or foreign)
  it->told = true;
  it->ok = trial.state == TrialState::complete && std::isfinite(trial.value);
  it->score = it->ok ? (maximize_ ? -trial.value : trial.value) : 0.0;
  if (std::all_of(generation_.begin(), generation_.end(), [](const Member& m) { return m.told; }))
    finish_generation();
}

void CmaesStrategy::save(std::ostream& out) const {
  strategy_state::save(out, kind_name, space_.size(), [&](auto& ar) {
    const std::string rng = strategy_state::rng_to_text(rng_);
    const std::uint64_t base_lambda = base_lambda_;
    std::vector<double> xs, values, scores;
    std::vector<std::uint8_t> flags;  // asked | told << 1 | ok << 2 | mean << 3
    for (const Member& m : generation_) {
      xs.insert(xs.end(), m.x.begin(), m.x.end());
      values.insert(values.end(), m.values.begin(), m.values.end());
      scores.push_back(m.score);
      flags.push_back(static_cast<std::uint8_t>(m.asked | (m.told << 1) | (m.ok << 2) | (m.mean << 3)));
    }
    ar << rng << base_lambda << restarts_ << distribution_ << xs << values << scores << flags << best_history_ << median_history_;
  });
}

void CmaesStrategy::load(std::istream& in) {
  strategy_state::load(in, kind_name, space_.size(), [&](auto& ar) {
    std::string rng_text;
    std::uint64_t base_lambda = 0, restarts = 0;
    CmaDistribution distribution;
    std::vector<double> xs, values, scores, best_history, median_history;
    std::vector<std::uint8_t> flags;
    ar >> rng_text >> base_lambda >> restarts >> distribution >> xs >> values >> scores >> flags >> best_history >> median_history;
    Rng rng = strategy_state::rng_from_text(rng_text);
    const std::size_t count = flags.size(), nc = continuous_.size(), d = space_.size();
    if (!continuous_.empty()) {
      distribution.check_consistent();
      if (distribution.dimension() != nc || count != (mean_trial_ ? 1 : 0) + distribution.lambda())
        throw InputError("strategy checkpoint of 'cmaes': written for another space");
    }
    if (median_history.size() != best_history.size() || scores.size() != count || xs.size() != count * nc || values.size() != count * d)
      throw InputError("strategy checkpoint of 'cmaes': the generation is corrupt");
    std::vector<Member> generation(count);
    for (std::size_t i = 0; i < count; ++i) {
      Member& m = generation[i];
      m.x.assign(xs.begin() + static_cast<std::ptrdiff_t>(i * nc), xs.begin() + static_cast<std::ptrdiff_t>((i + 1) * nc));
      m.values.assign(values.begin() + static_cast<std::ptrdiff_t>(i * d),
                      values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
      m.asked = flags[i] & 1;
      m.told = flags[i] & 2;
      m.ok = flags[i] & 4;
      m.mean = flags[i] & 8;
      if (m.mean != (mean_trial_ && i == 0))
        throw InputError("strategy checkpoint of 'cmaes': written with another 'mean_trial_dims'");
      m.score = scores[i];
    }
    rng_ = rng;
    base_lambda_ = static_cast<std::size_t>(base_lambda);
    restarts_ = restarts;
    distribution_ = std::move(distribution);
    generation_ = std::move(generation);
    best_history_ = std::move(best_history);
    median_history_ = std::move(median_history);
  });
}

}  // namespace h5tune
