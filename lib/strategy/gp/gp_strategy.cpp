#include "strategy/gp/gp_strategy.hpp"

#include <boost/random/sobol.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include "h5tune/error.hpp"
#include "strategy/gp/trust_region.hpp"
#include "strategy/state_archive.hpp"
#include "strategy/study_direction.hpp"

namespace h5tune {
namespace {

const OptionSpec profile_spec{"profile", OptionType::text, std::string("auto"),
                              "\"global\", \"local\" (trust region, UCB, smaller design) or \"auto\": local from "
                              "10 float/int parameters on; sets the defaults of the four options below",
                              0.0, 0.0};
const OptionSpec n_initial_spec{"n_initial", OptionType::integer, std::int64_t{0},
                                "initial Sobol design size; 0: min(20, max(5, 2 x parameters)), "
                                "local profile min(20, max(5, parameters))",
                                0.0, 1e6};
const OptionSpec acquisition_spec{"acquisition", OptionType::text, std::string("logei"),
                                  "\"logei\" (log expected improvement) or \"ucb\"; local profile: \"ucb\"",
                                  0.0, 0.0};
const OptionSpec kappa_spec{"kappa", OptionType::real, 2.0,
                            "UCB exploration weight: mean - kappa sigma is minimized; local profile: 3", 0.0, 1e3};
const OptionSpec trust_region_spec{"trust_region", OptionType::boolean, false,
                                   "search the acquisition in a TuRBO trust region around the best point; "
                                   "local profile: true",
                                   0.0, 0.0};
const OptionSpec trust_failures_spec{"trust_failures", OptionType::integer, std::int64_t{0},
                                     "picks without improvement in a row that halve the trust region; 0: max(4, parameters)",
                                     0.0, 1e6};
const OptionSpec search_box_spec{"search_box", OptionType::real, 0.2,
                                 "without a trust region: side of the box around the best point where the "
                                 "acquisition is searched, a fraction of each float/int range; 1: the whole space",
                                 0.001, 1.0};
const OptionSpec escape_after_spec{"escape_after", OptionType::integer, std::int64_t{20},
                                   "without a trust region: after this many results in a row without improvement "
                                   "(and every this many more) one pick searches the whole space; 0: never",
                                   0.0, 1e6};
const OptionSpec max_exact_spec{"max_exact", OptionType::integer, std::int64_t{2000},
                                "observations of the exact GP; beyond, a local GP on the nearest",
                                10.0, 1e5};
const OptionSpec candidates_spec{"candidates", OptionType::integer, std::int64_t{512},
                                 "acquisition candidates scored per pick", 8.0, 1e6};
const OptionSpec fit_points_spec{"fit_points", OptionType::integer, std::int64_t{256},
                                 "observations used to fit the kernel hyperparameters", 10.0, 1e5};
const OptionSpec max_fantasies_spec{"max_fantasies", OptionType::integer, std::int64_t{64},
                                    "pending trials + batch size handled by fantasies; beyond, batch mode (qUCB)",
                                    0.0, 1e6};
const OptionSpec batch_model_points_spec{"batch_model_points", OptionType::integer, std::int64_t{300},
                                         "observations of the batch-mode model at most", 10.0, 1e5};
const OptionSpec warp_outputs_spec{"warp_outputs", OptionType::boolean, true,
                                   "model a Yeo-Johnson power transform of the values (fitted to them)", 0.0, 0.0};
const OptionSpec batch_pool_spec{"batch_pool", OptionType::integer, std::int64_t{2048},
                                 "candidates scored per batch-mode pool", 16.0, 1e6};

// The batch-mode section of a checkpoint: a tag and its own version after the sequential
// state, so a checkpoint without it (written before batch mode existed) still loads, and a
// newer layout is refused by name.
constexpr std::string_view batch_section_tag = "gp-batch";
constexpr std::uint32_t batch_section_version = 1;

// Points the anchors of the candidate search come from.
constexpr std::size_t anchor_count = 5;
// Tries to find an initial-design point not yet taken (int and categorical spaces repeat).
constexpr int design_tries = 64;
// Models with more rows than this polish fewer candidates, with fewer iterations.
constexpr Eigen::Index large_model = 300;

// Spaces with at least this many float/int parameters get the local profile under "auto".
constexpr std::size_t local_profile_parameters = 10;

bool local_profile(const Options& options, const Space& space) {
  const std::string profile = options.get_text(profile_spec);
  if (profile == "local") return true;
  if (profile == "global") return false;
  if (profile != "auto")
    throw OptionError({std::string(profile_spec.name)},
                      fmt::format("strategy 'gp', option 'profile': \"{}\" is none of \"auto\", \"global\", \"local\"",
                                  profile));
  const auto numeric = std::count_if(space.parameters().begin(), space.parameters().end(),
                                     [](const Parameter& p) { return p.kind != ParamKind::categorical; });
  return static_cast<std::size_t>(numeric) >= local_profile_parameters;
}

gp::Acquisition parse_acquisition(const Options& options, bool local) {
  gp::Acquisition a;
  const std::string kind = options.contains(acquisition_spec.name) ? options.get_text(acquisition_spec)
                                                                   : std::string(local ? "ucb" : "logei");
  if (kind == "ucb") a.kind = gp::Acquisition::Kind::ucb;
  else if (kind != "logei")
    throw OptionError({std::string(acquisition_spec.name)},
                      fmt::format("strategy 'gp', option 'acquisition': \"{}\" is neither \"logei\" nor \"ucb\"", kind));
  a.kappa = options.contains(kappa_spec.name) ? options.get_real(kappa_spec) : (local ? 3.0 : 2.0);
  return a;
}

std::uint64_t initial_design_size(const Options& options, const Space& space, bool local) {
  const std::int64_t given = options.get_int(n_initial_spec);
  if (given > 0) return static_cast<std::uint64_t>(given);
  return std::min<std::uint64_t>(20, std::max<std::uint64_t>(5, (local ? 1 : 2) * space.size()));
}

}  // namespace

std::vector<OptionSpec> GpStrategy::option_specs() {
  return {profile_spec,       n_initial_spec,          acquisition_spec, kappa_spec,
          trust_region_spec,  trust_failures_spec,     search_box_spec,  escape_after_spec,
          max_exact_spec,     candidates_spec,
          fit_points_spec,    max_fantasies_spec,      batch_model_points_spec,
          batch_pool_spec,    warp_outputs_spec};
}

GpStrategy::GpStrategy(const Options& options, const Space& space, std::uint64_t seed)
    : space_(space),
      codec_(space),
      local_(local_profile(options, space)),
      acquisition_(parse_acquisition(options, local_)),
      sign_(direction_sign(options, kind_name)),
      n_initial_(initial_design_size(options, space, local_)),
      rng_(seed),
      design_shift_(space.size()),
      surrogate_(codec_.dims(), static_cast<std::size_t>(options.get_int(max_exact_spec)),
                 static_cast<std::size_t>(options.get_int(fit_points_spec)), options.get_bool(warp_outputs_spec)) {
  // A copy: the table's static member has no out-of-line definition to bind a reference to.
  constexpr std::size_t max_dims = boost::random::default_sobol_table::max_dimension;
  if (space.size() > max_dims)
    throw InputError(
        fmt::format("strategy 'gp' supports at most {} parameters, the space has {}", max_dims, space.size()));
  effort_.candidates = static_cast<int>(options.get_int(candidates_spec));
  max_fantasies_ = static_cast<std::size_t>(options.get_int(max_fantasies_spec));
  batch_model_points_ = static_cast<std::size_t>(options.get_int(batch_model_points_spec));
  batch_pool_size_ = static_cast<std::size_t>(options.get_int(batch_pool_spec));
  for (auto& s : design_shift_) s = rng_();
  trust_region_ = options.contains(trust_region_spec.name) ? options.get_bool(trust_region_spec) : local_;
  search_side_ = options.get_real(search_box_spec);
  escape_after_ = static_cast<std::size_t>(options.get_int(escape_after_spec));
  const std::int64_t failures = options.get_int(trust_failures_spec);
  trust_rule_.failure_tolerance =
      failures > 0 ? static_cast<std::size_t>(failures) : std::max<std::size_t>(4, space.size());
}

std::vector<double> GpStrategy::canonical(const std::vector<double>& values) const {
  if (values.size() != space_.size())
    throw InputError(fmt::format("strategy 'gp': a trial has {} values, the space has {} parameters",
                                 values.size(), space_.size()));
  return codec_.decode(codec_.encode(values));
}

std::optional<std::vector<double>> GpStrategy::next_design_point(const TakenTest& taken) {
  for (int tries = 0; tries < design_tries; ++tries) {
    // Point k of the shifted sequence: re-seeding Boost's engine makes this a pure function
    // of design_index_, so a checkpoint needs only the index.
    boost::random::sobol engine(space_.size());
    if (design_index_ > 0) engine.seed(design_index_ - 1);
    std::vector<double> u(space_.size());
    for (std::size_t j = 0; j < u.size(); ++j) {
      const std::uint64_t raw = design_index_ == 0 ? 0 : engine();
      u[j] = static_cast<double>((raw ^ design_shift_[j]) >> 11) * 0x1.0p-53;
    }
    ++design_index_;
    std::vector<double> values = space_.from_unit(u);
    if (!taken(values)) return values;
  }
  return std::nullopt;
}

std::vector<Suggestion> GpStrategy::ask(std::size_t n, const std::vector<TrialRecord>& pending) {
  std::vector<Suggestion> out;
  if (n == 0) return out;
  if (space_.empty()) return std::vector<Suggestion>(n);
  if (pending.size() + n > max_fantasies_) return ask_batch(n, pending);

  gp::PointSet taken = seen_;
  std::vector<std::vector<double>> fantasies;
  for (const auto& t : pending) {
    fantasies.push_back(canonical(t.values));
    taken.insert(fantasies.back());
  }
  auto emit = [&](std::vector<double> values) {
    taken.insert(values);
    out.push_back(Suggestion{std::move(values), -1, 0});
  };

  // Initial design, and Sobol points for as long as the model has fewer than two results.
  while (out.size() < n && designing()) {
    auto point = next_design_point([&](const std::vector<double>& v) { return taken.count(v) > 0; });
    if (!point) break;  // a small finite space: the model (or the repeat rule) takes over
    emit(std::move(*point));
  }
  if (out.size() == n) return out;
  if (surrogate_.size() == 0) {
    // Nothing to model and no fresh design point: repeat design points.
    while (out.size() < n) emit(space_.from_unit(std::vector<double>(space_.size(), 0.5)));
    return out;
  }

  gp::GpModel model = surrogate_.model_for_pick(rng_);
  for (const auto& f : fantasies) model.add_fantasy(codec_.encode(f));
  for (const auto& s : out) model.add_fantasy(codec_.encode(s.values));
  const auto anchors = surrogate_.best_inputs(anchor_count);
  // Scoring a candidate and a polishing step cost O(n^2): a large model scores fewer
  // candidates (512 (300/n)^2, at least 64 or the option when smaller) and polishes less,
  // to stay within the latency target; half the candidates still come from around the best
  // points.
  gp::SearchEffort effort = effort_;
  if (model.size() > large_model) {
    const double shrink = static_cast<double>(large_model) / static_cast<double>(model.size());
    effort.candidates =
        std::max(std::min(64, effort.candidates), static_cast<int>(effort.candidates * shrink * shrink));
    effort.polish = 2;
    effort.polish_iterations = 8;
  }
  gp::SearchBox box;
  bool escape = false;
  if (trust_region_) {
    box = gp::trust_region_box(codec_, anchors.front(), model.theta(),
                               gp::trust_region_length(surrogate_.values(), n_initial_, trust_rule_));
  } else if (search_side_ < 1.0) {
    // Near the best point log-EI makes faster progress than anywhere else at the budgets
    // Bayesian optimization is run with, with or without pending trials (docs/benchmarks.md,
    // "Search box"); the escape keeps a stalled search from being held in the box for good.
    box = gp::search_box(codec_, anchors.front(), search_side_);
    const std::size_t stalled = gp::results_since_improvement(surrogate_.values());
    escape = escape_after_ > 0 && stalled >= escape_after_ && stalled % escape_after_ == 0;
  }
  while (out.size() < n) {
    const gp::SearchBox pick_box = escape && out.empty() ? gp::SearchBox{} : box;
    auto pick = gp::maximize_acquisition(model, acquisition_, codec_, anchors, taken, effort, rng_, pick_box);
    // An exhausted finite space: the best point again, duplicates allowed.
    if (!pick) pick = gp::maximize_acquisition(model, acquisition_, codec_, anchors, {}, effort, rng_);
    if (!pick) break;
    if (out.size() + 1 < n) model.add_fantasy(codec_.encode(*pick));
    emit(std::move(*pick));
  }
  return out;
}

void GpStrategy::tell(const TrialRecord& trial) {
  std::vector<double> values = canonical(trial.values);
  if (trial.state == TrialState::complete && std::isfinite(trial.value))
    surrogate_.add(codec_.encode(values), sign_ * trial.value);
  seen_.insert(values);
  told_.push_back(std::move(values));
}

void GpStrategy::save(std::ostream& out) const {
  strategy_state::save(out, kind_name, space_.size(), [&](auto& ar) {
    const std::string rng = strategy_state::rng_to_text(rng_);
    std::vector<double> observed_x, observed_y(surrogate_.values());
    for (const auto& x : surrogate_.inputs()) observed_x.insert(observed_x.end(), x.begin(), x.end());
    std::vector<double> told;
    for (const auto& v : told_) told.insert(told.end(), v.begin(), v.end());
    const Eigen::VectorXd& theta = surrogate_.theta();
    const std::vector<double> theta_values(theta.begin(), theta.end());
    const std::uint64_t fitted_at = surrogate_.fitted_at();
    ar << rng << design_shift_ << design_index_ << observed_x << observed_y << told << theta_values
       << fitted_at;
    std::string tag(batch_section_tag);
    std::uint32_t version = batch_section_version;
    std::uint8_t built = batch_built_ ? 1 : 0;
    gp::BatchPool::State pool = batch_.state();
    ar << tag << version << built << batch_built_at_ << batch_picks_ << pool.values << pool.mean << pool.sigma0
       << pool.nearest_r2 << pool.taken << pool.theta;
  });
}

void GpStrategy::load(std::istream& in) {
  std::string rng_text;
  std::vector<std::uint64_t> shift;
  std::uint64_t index = 0, fitted_at = 0;
  std::vector<double> observed_x, observed_y, told, theta_values;
  std::uint8_t batch_built = 0;
  std::uint64_t batch_built_at = 0, batch_picks = 0;
  gp::BatchPool::State pool;
  strategy_state::load(in, kind_name, space_.size(), [&](auto& ar) {
    ar >> rng_text >> shift >> index >> observed_x >> observed_y >> told >> theta_values >> fitted_at;
    // The archive reads the stream buffer directly, so its end is the end of the body.
    if (in.rdbuf()->sgetc() == std::char_traits<char>::eof()) return;  // no batch section
    std::string tag;
    std::uint32_t version = 0;
    ar >> tag >> version;
    if (tag != batch_section_tag)
      throw InputError("strategy checkpoint of 'gp' is corrupt: unknown section after the model state");
    if (version != batch_section_version)
      throw InputError(fmt::format("strategy checkpoint of 'gp': batch-mode section version {} is not supported "
                                   "(this build reads {})", version, batch_section_version));
    ar >> batch_built >> batch_built_at >> batch_picks >> pool.values >> pool.mean >> pool.sigma0 >>
        pool.nearest_r2 >> pool.taken >> pool.theta;
  });
  const auto dims = static_cast<std::size_t>(codec_.dims());
  const std::size_t d = space_.size();
  if (shift.size() != d || observed_x.size() != observed_y.size() * dims ||
      (d > 0 && told.size() % d != 0) || theta_values.size() != dims + 2 ||
      fitted_at > observed_y.size() || batch_built > 1 || batch_built_at > observed_y.size())
    throw InputError("strategy checkpoint of 'gp' is corrupt: inconsistent sizes");
  gp::BatchPool restored_pool;
  restored_pool.restore(pool, codec_);  // throws on inconsistent sizes
  Rng rng = strategy_state::rng_from_text(rng_text);

  gp::Surrogate restored = surrogate_.empty_copy();
  for (std::size_t i = 0; i < observed_y.size(); ++i)
    restored.add(Eigen::Map<const Eigen::VectorXd>(observed_x.data() + i * dims, static_cast<Eigen::Index>(dims)),
                 observed_y[i]);
  restored.restore(Eigen::Map<const Eigen::VectorXd>(theta_values.data(), static_cast<Eigen::Index>(dims + 2)),
                   static_cast<std::size_t>(fitted_at));
  std::vector<std::vector<double>> told_points;
  gp::PointSet seen;
  for (std::size_t i = 0; d > 0 && i < told.size() / d; ++i) {
    told_points.emplace_back(told.begin() + static_cast<std::ptrdiff_t>(i * d),
                             told.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    seen.insert(told_points.back());
  }
  rng_ = rng;
  design_shift_ = std::move(shift);
  design_index_ = index;
  surrogate_ = std::move(restored);
  told_ = std::move(told_points);
  seen_ = std::move(seen);
  batch_ = std::move(restored_pool);
  batch_built_ = batch_built == 1;
  batch_built_at_ = batch_built_at;
  batch_picks_ = batch_picks;
}

}  // namespace h5tune
