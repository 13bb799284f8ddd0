#include "strategy/tpe/tpe_strategy.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "h5tune/error.hpp"
#include "strategy/state_archive.hpp"
#include "strategy/study_direction.hpp"

namespace h5tune {
namespace {

const OptionSpec n_startup_spec{"n_startup", OptionType::integer, std::int64_t{10},
                                "complete or pruned trials of random search before TPE starts",
                                0.0, 1e9};
const OptionSpec n_candidates_spec{"n_ei_candidates", OptionType::integer, std::int64_t{24},
                                   "candidates drawn from l(x) per suggestion", 1.0, 1e6};
const OptionSpec gamma_fraction_spec{"gamma_fraction", OptionType::real, 0.1,
                                     "fraction of the observations in the good (below) set", 0.0, 1.0};
const OptionSpec gamma_max_spec{"gamma_max", OptionType::integer, std::int64_t{25},
                                "largest size of the good (below) set", 1.0, 1e9};
const OptionSpec prior_weight_spec{"prior_weight", OptionType::real, 1.0,
                                   "weight of the prior component of each Parzen estimator", 1e-6, 1e6};
const OptionSpec multivariate_spec{"multivariate", OptionType::boolean, false,
                                   "one joint kernel over all parameters instead of one estimator per parameter",
                                   0.0, 1.0};
const OptionSpec normalized_kernels_spec{
    "normalized_kernels", OptionType::boolean, false,
    "score candidates with normalized kernel densities (Optuna >= 3.5) instead of Optuna 3.1's "
    "kernels without the -log(sigma) term",
    0.0, 1.0};
const OptionSpec max_above_spec{
    "max_above", OptionType::integer, std::int64_t{1000},
    "largest number of rows (observations and pending trials) g(x) is fitted to; beyond, a uniform "
    "random subset in trial order (0: all)",
    0.0, 1e9};
const OptionSpec joint_every_spec{
    "joint_every", OptionType::integer, std::int64_t{2},
    "every k-th suggestion comes from one joint estimator of the float and int parameters (choices stay "
    "independent), the others from independent TPE; 0: never (Optuna's independent TPE); not with multivariate",
    0.0, 1e9};
const OptionSpec joint_after_spec{
    "joint_after", OptionType::integer, std::int64_t{0},
    "from this many complete or pruned trials on, every suggestion is joint; 0: 10 + 5 per parameter; "
    "only with joint_every > 0",
    0.0, 1e9};
const OptionSpec joint_rank_weights_spec{
    "joint_rank_weights", OptionType::boolean, true,
    "joint suggestions weight the good observations by rank (1, 1/2, 1/3, ...) instead of Optuna's "
    "trial-order weights; only with joint_every > 0",
    0.0, 1.0};
const OptionSpec constant_liar_spec{"constant_liar", OptionType::boolean, true,
                                    "count pending trials as bad results so parallel workers spread out",
                                    0.0, 1.0};

// Bandwidth factor of the interleaved joint estimator: the neighbour gaps of one axis
// suit a kernel that mixes with the other axes' kernels freely (independent TPE); tied into
// one joint kernel they are too narrow, and the search stays at the below points. Of 1,
// 1.25, 1.5, 1.75 and 2, 1.25 and 1.5 were best over 200-500 seeds of the benchmark suite,
// and 1.5 the better over 1,000 (docs/benchmarks.md, "tpe with joint suggestions").
constexpr double joint_gap_factor = 1.5;

// joint_after = 0: every suggestion joint from 10 + 5 d observations on. Independent
// suggestions recombine the coordinates of good points, which pays while the search is
// broad; once l(x) has found its basins, following them jointly pays more. Of the
// thresholds tried (40, 60, 80, 20 + 4 d, 10 + 5 d), 10 + 5 d was the best over 1,000
// seeds at 50 and 100 trials (docs/benchmarks.md, "tpe with joint suggestions").
std::size_t automatic_joint_after(std::size_t parameters) { return 10 + 5 * parameters; }

constexpr std::uint8_t complete_class = 0;
constexpr std::uint8_t pruned_class = 1;
constexpr std::uint8_t lie_class = 2;

}  // namespace

std::vector<OptionSpec> TpeStrategy::option_specs() {
  return {n_startup_spec, n_candidates_spec, gamma_fraction_spec, gamma_max_spec,
          prior_weight_spec, multivariate_spec, constant_liar_spec, normalized_kernels_spec,
          max_above_spec,   joint_every_spec, joint_after_spec, joint_rank_weights_spec};
}

TpeStrategy::TpeStrategy(const Options& options, const Space& space, std::uint64_t seed)
    : space_(space),
      codec_(space),
      parzen_{options.get_real(prior_weight_spec), options.get_bool(multivariate_spec),
              options.get_bool(normalized_kernels_spec)},
      n_startup_(static_cast<std::size_t>(options.get_int(n_startup_spec))),
      n_candidates_(static_cast<std::size_t>(options.get_int(n_candidates_spec))),
      gamma_fraction_(options.get_real(gamma_fraction_spec)),
      gamma_max_(static_cast<std::size_t>(options.get_int(gamma_max_spec))),
      max_above_(static_cast<std::size_t>(options.get_int(max_above_spec))),
      joint_every_(static_cast<std::size_t>(options.get_int(joint_every_spec))),
      joint_after_(static_cast<std::size_t>(options.get_int(joint_after_spec))),
      joint_rank_weights_(options.get_bool(joint_rank_weights_spec)),
      constant_liar_(options.get_bool(constant_liar_spec)),
      sign_(direction_sign(options, kind_name)),
      rng_(seed),
      store_(space.size()) {
  if (parzen_.multivariate && options.contains(joint_every_spec.name) && joint_every_ > 0)
    throw OptionError({std::string(joint_every_spec.name), std::string(multivariate_spec.name)},
                      "strategy 'tpe': 'joint_every' interleaves joint and independent suggestions; with "
                      "'multivariate = true' every suggestion is joint already (leave out 'joint_every' or set it to 0)");
  if (parzen_.multivariate) joint_every_ = 0;
  for (const OptionSpec* spec : {&joint_after_spec, &joint_rank_weights_spec})
    if (joint_every_ == 0 && options.contains(spec->name))
      throw OptionError({spec->name, std::string(joint_every_spec.name)},
                        fmt::format("strategy 'tpe': '{}' shapes joint suggestions, and there are none with "
                                    "'joint_every = 0' or 'multivariate = true' (leave out '{}')",
                                    spec->name, spec->name));
  if (joint_after_ == 0) joint_after_ = automatic_joint_after(space_.size());
}

std::vector<double> TpeStrategy::random_point() {
  std::vector<double> values(space_.size());
  for (std::size_t i = 0; i < space_.size(); ++i) values[i] = space_.from_unit(i, uniform01(rng_));
  return values;
}

TpeStrategy::Model TpeStrategy::fit(const std::vector<std::vector<double>>& lies, bool joint) {
  const std::size_t n = store_.size();
  std::vector<tpe::RankKey> keys = store_.keys();
  keys.resize(n + lies.size(), tpe::RankKey{lie_class, std::numeric_limits<double>::infinity()});
  tpe::Split split = tpe::split_observations(keys, tpe::below_count(n, gamma_fraction_, gamma_max_));
  if (max_above_ > 0) tpe::subsample_in_order(split.above, max_above_, rng_);

  const auto gather = [&](const std::vector<std::size_t>& rows, std::size_t a) {
    std::vector<double> column(rows.size());
    const std::vector<double>& stored = store_.column(a);
    for (std::size_t r = 0; r < rows.size(); ++r)
      column[r] = rows[r] < n ? stored[rows[r]] : lies[rows[r] - n][a];
    return column;
  };
  const auto& axes = codec_.axes();
  // Joint suggestions weight the good points by rank (empty: Optuna's weights); the prior
  // and g(x) keep Optuna's.
  const std::vector<double> below_weights =
      joint && joint_rank_weights_ ? tpe::rank_weights(keys, split.below) : std::vector<double>{};
  Model model;
  model.groups = axis_groups(joint);
  for (const auto& group : model.groups) {
    std::vector<tpe::Axis> group_axes;
    std::vector<std::vector<double>> below, above;
    for (const std::size_t a : group) {
      group_axes.push_back(axes[a]);
      below.push_back(gather(split.below, a));
      above.push_back(gather(split.above, a));
    }
    tpe::ParzenSettings settings = parzen_;
    if (!parzen_.multivariate && group.size() > 1) settings.gap_factor = joint_gap_factor;
    model.below.emplace_back(group_axes, below, settings, below_weights);
    model.above.emplace_back(group_axes, above, settings);
  }
  return model;
}

std::size_t TpeStrategy::best_candidate(const tpe::ParzenEstimator& below,
                                        const tpe::ParzenEstimator& above,
                                        const std::vector<double>& candidates,
                                        std::size_t count) const {
  std::vector<double> log_l(count), log_g(count);
  below.log_pdf(candidates, count, log_l);
  above.log_pdf(candidates, count, log_g);
  std::size_t best = 0;
  double best_score = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < count; ++i) {
    const double score = log_l[i] - log_g[i];  // NaN (both -inf) never wins
    if (score > best_score) {
      best_score = score;
      best = i;
    }
  }
  return best;
}

std::vector<std::vector<std::size_t>> TpeStrategy::axis_groups(bool joint) const {
  const std::size_t d = space_.size();
  std::vector<std::vector<std::size_t>> groups;
  if (parzen_.multivariate) {
    groups.emplace_back(d);
    std::iota(groups.back().begin(), groups.back().end(), std::size_t{0});
    return groups;
  }
  // Joint: the float and int axes form the first group; a choice stays on its own, as its
  // kernel is a weighted count that a joint component would tie to one observation's choice.
  std::vector<std::size_t> numeric;
  for (std::size_t a = 0; a < d; ++a) {
    if (joint && codec_.axes()[a].kind != tpe::AxisKind::categorical) numeric.push_back(a);
    else groups.push_back({a});
  }
  if (!numeric.empty()) groups.insert(groups.begin(), std::move(numeric));
  return groups;
}

std::vector<double> TpeStrategy::propose(const Model& model) {
  std::vector<double> coords(space_.size());
  for (std::size_t g = 0; g < model.groups.size(); ++g) {
    const std::vector<std::size_t>& group = model.groups[g];
    const std::size_t width = group.size();
    std::vector<double> candidates = model.below[g].sample(rng_, n_candidates_);
    for (std::size_t i = 0; i < n_candidates_; ++i)
      for (std::size_t j = 0; j < width; ++j)
        candidates[i * width + j] = codec_.snap(group[j], candidates[i * width + j]);
    const std::size_t best = best_candidate(model.below[g], model.above[g], candidates, n_candidates_);
    for (std::size_t j = 0; j < width; ++j) coords[group[j]] = candidates[best * width + j];
  }
  return coords;
}

std::vector<Suggestion> TpeStrategy::ask(std::size_t n, const std::vector<TrialRecord>& pending) {
  std::vector<Suggestion> out(n);
  const std::size_t d = space_.size();
  if (d == 0 || store_.size() < n_startup_) {
    for (auto& s : out) s.values = random_point();
    return out;
  }
  std::vector<std::vector<double>> lies;
  if (constant_liar_) {
    for (const auto& t : pending) {
      if (t.values.size() != d) continue;  // not a point of this space: nothing to avoid
      std::vector<double> coords(d);
      for (std::size_t a = 0; a < d; ++a) coords[a] = codec_.encode(a, t.values[a]);
      lies.push_back(std::move(coords));
    }
  }
  // Without lies the points of a batch come from one fit per kind of estimator.
  std::optional<Model> independent, joint;
  for (std::size_t i = 0; i < n; ++i) {
    // Suggestion k (observations + position in the batch) is joint when k is a multiple
    // of joint_every, and always from joint_after observations on: rules of the model's own
    // state, so a resumed run keeps them.
    const bool use_joint =
        joint_every_ > 0 && ((store_.size() + i) % joint_every_ == 0 || store_.size() >= joint_after_);
    std::optional<Model>& model = use_joint ? joint : independent;
    if (!model || constant_liar_) model = fit(lies, use_joint);
    std::vector<double> coords = propose(*model);
    out[i].values.resize(d);
    for (std::size_t a = 0; a < d; ++a) out[i].values[a] = codec_.decode(a, coords[a]);
    if (constant_liar_) lies.push_back(std::move(coords));
  }
  return out;
}

void TpeStrategy::tell(const TrialRecord& trial) {
  tpe::RankKey key;
  switch (trial.state) {
    case TrialState::complete:
      if (!std::isfinite(trial.value)) return;  // no usable value: ignored like a failure
      key = {complete_class, sign_ * trial.value};
      break;
    case TrialState::pruned:
      key = {pruned_class, 0.0};  // Optuna without intermediate values: after every complete trial
      break;
    default:
      return;  // failed and interrupted trials teach nothing (Optuna ignores failures)
  }
  if (trial.values.size() != space_.size())
    throw InputError(fmt::format("strategy 'tpe': trial {} has {} parameter values, the space has {}",
                                 trial.id, trial.values.size(), space_.size()));
  store_.add(trial.id, key, trial.values, codec_);
}

void TpeStrategy::save(std::ostream& out) const {
  strategy_state::save(out, kind_name, space_.size(), [&](auto& ar) {
    const std::string rng = strategy_state::rng_to_text(rng_);
    std::vector<std::uint8_t> classes;
    std::vector<double> scores;
    for (const auto& k : store_.keys()) {
      classes.push_back(k.rank_class);
      scores.push_back(k.score);
    }
    ar << rng << store_.ids() << classes << scores << store_.values();
  });
}

void TpeStrategy::load(std::istream& in) {
  std::string rng_text;
  std::vector<std::int64_t> ids;
  std::vector<std::uint8_t> classes;
  std::vector<double> scores, values;
  strategy_state::load(in, kind_name, space_.size(),
                       [&](auto& ar) { ar >> rng_text >> ids >> classes >> scores >> values; });
  const std::size_t d = space_.size();
  if (classes.size() != ids.size() || scores.size() != ids.size() || values.size() != ids.size() * d)
    throw InputError("strategy checkpoint of 'tpe' is corrupt: observation arrays disagree in length");
  Rng rng = strategy_state::rng_from_text(rng_text);
  tpe::ObservationStore store(d);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (classes[i] > pruned_class)
      throw InputError("strategy checkpoint of 'tpe' is corrupt: unknown observation class");
    const std::vector<double> row(values.begin() + static_cast<std::ptrdiff_t>(i * d),
                                  values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    store.add(ids[i], {classes[i], scores[i]}, row, codec_);
  }
  rng_ = rng;
  store_ = std::move(store);
}

}  // namespace h5tune
