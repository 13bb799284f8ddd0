#include "strategy/halving/halving_strategy.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/share_sequence.hpp"
#include "strategy/state_archive.hpp"
#include "strategy/study_direction.hpp"

namespace h5tune {
namespace {

const OptionSpec min_resource_spec{"min_resource", OptionType::integer, std::int64_t{1},
                                   "steps of the first rung of the most aggressive bracket", 1.0, 1e15};
const OptionSpec max_resource_spec{"max_resource", OptionType::integer, std::int64_t{81},
                                   "a configuration's full budget in steps (the last rung)", 2.0, 1e15};
const OptionSpec eta_spec{"reduction_factor", OptionType::integer, std::int64_t{3},
                          "eta: 1 in eta configurations at a rung is promoted to the next", 2.0, 1e6};
const OptionSpec brackets_spec{"brackets", OptionType::integer, std::int64_t{1},
                               "Hyperband brackets, most aggressive first (0: all)", 0.0, 64.0};
const OptionSpec configs_spec{"configs", OptionType::integer, std::int64_t{0},
                              "configurations to start (0: until max_trials)", 0.0, 1e15};

std::string where(std::string_view key) { return fmt::format("strategy '{}': {}", HalvingStrategy::kind_name, key); }

}  // namespace

std::vector<OptionSpec> HalvingStrategy::option_specs() {
  return {min_resource_spec, max_resource_spec, eta_spec, brackets_spec, configs_spec};
}

HalvingStrategy::HalvingStrategy(const Options& options, const Space& space, std::uint64_t seed)
    : space_(space),
      min_resource_(options.get_int(min_resource_spec)),
      max_resource_(options.get_int(max_resource_spec)),
      eta_(options.get_int(eta_spec)),
      max_configs_(options.get_int(configs_spec)),
      maximize_(maximizes(options, kind_name)),
      brackets_({}, 0),
      rng_(seed) {
  if (min_resource_ >= max_resource_)
    throw OptionError({"max_resource", "min_resource"},
                      fmt::format("{}: max_resource ({}) must be greater than min_resource ({})", where("max_resource"),
                                  max_resource_, min_resource_));
  const int all = hyperband_bracket_count(min_resource_, max_resource_, eta_);
  const auto wanted = options.get_int(brackets_spec);
  if (wanted > all)
    throw OptionError({"brackets", "max_resource", "min_resource", "reduction_factor"},
                      fmt::format("{}: {} brackets asked, but min_resource {}, max_resource {} and reduction_factor "
                                  "{} make only {}",
                                  where("brackets"), wanted, min_resource_, max_resource_, eta_, all));
  const int count = wanted == 0 ? all : static_cast<int>(wanted);
  // The `count` most aggressive of Hyperband's brackets, with their budgets among all B.
  auto budgets = hyperband_bracket_budgets(all, static_cast<double>(eta_));
  budgets.resize(static_cast<std::size_t>(count));
  brackets_ = ShareSequence(std::move(budgets), derive_seed(seed, SeedStream::strategy, 1));
  std::int64_t first = min_resource_;
  for (int b = 0; b < count; ++b) {
    // The next bracket's first rung is computed only when there is one: past the last
    // bracket, first * eta_ can exceed max_resource_ and overflow.
    if (b > 0) first *= eta_;
    std::vector<std::int64_t> steps;
    for (std::int64_t step = first; step < max_resource_; step *= eta_) {
      steps.push_back(step);
      if (step > max_resource_ / eta_) break;
    }
    steps.push_back(max_resource_);
    rungs_.push_back(std::move(steps));
  }
  rebuild_index();
}

std::int64_t HalvingStrategy::next_promotion() const {
  // ASHA looks at the highest rung first: a configuration near its full budget finishes
  // sooner and frees its checkpoint.
  std::int64_t best = -1;
  std::int64_t best_step = -1;
  for (std::size_t b = 0; b < rungs_.size(); ++b) {
    for (std::size_t k = rungs_[b].size() - 1; k-- > 0;) {
      if (rungs_[b][k] <= best_step) break;
      const auto& ranked = ranked_[b][k];
      const std::size_t may_promote = ranked.size() / static_cast<std::size_t>(eta_);
      const auto it = std::find_if(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(may_promote),
                                   [&](std::size_t r) { return !results_[r].promoted; });
      if (it != ranked.begin() + static_cast<std::ptrdiff_t>(may_promote)) {
        best = static_cast<std::int64_t>(*it);
        best_step = rungs_[b][k];
        break;
      }
    }
  }
  return best;
}

Suggestion HalvingStrategy::start_config() {
  std::vector<double> values(space_.size());
  // The same draws as `random`, and (Suggestion::seed_of) the same seed: configuration k
  // is random search's trial k.
  for (std::size_t i = 0; i < space_.size(); ++i) values[i] = space_.from_unit(i, uniform01(rng_));
  const auto config = static_cast<std::int64_t>(configs_.size());
  configs_.push_back(values);
  out_[next_id_++] = Segment{config, 0, -1};
  return {std::move(values), -1, rungs_[bracket_of_config(config)][0], config};
}

std::vector<Suggestion> HalvingStrategy::ask(std::size_t n, const std::vector<TrialRecord>& pending) {
  // Ids follow the order of suggestions (as in PbtStrategy).
  for (const auto& t : pending) next_id_ = std::max(next_id_, t.id + 1);
  std::vector<Suggestion> out;
  while (out.size() < n) {
    if (const auto r = next_promotion(); r >= 0) {
      Result& result = results_[static_cast<std::size_t>(r)];
      result.promoted = true;
      const auto& steps = rungs_[bracket_of_config(result.config)];
      const std::uint32_t rung = result.rung + 1;
      out_[next_id_++] = Segment{result.config, rung, result.trial};
      out.push_back({configs_[static_cast<std::size_t>(result.config)], result.trial, steps[rung] - steps[rung - 1],
                     result.config});
    } else if (max_configs_ == 0 || static_cast<std::int64_t>(configs_.size()) < max_configs_) {
      out.push_back(start_config());
    } else {
      break;  // wait for rungs to fill
    }
  }
  return out;
}

void HalvingStrategy::tell(const TrialRecord& trial) {
  next_id_ = std::max(next_id_, trial.id + 1);
  const auto found = out_.find(trial.id);
  if (found == out_.end()) return;  // not ours, or told already
  if (trial.state == TrialState::interrupted) return;  // stays pending: a resume re-runs it
  const Segment segment = found->second;
  out_.erase(found);
  if (segment.parent >= 0) released_.push_back(segment.parent);  // its promotion is over
  if (trial.state != TrialState::complete || !std::isfinite(trial.value)) {
    released_.push_back(trial.id);  // the configuration ends here
    return;
  }
  results_.push_back({trial.id, segment.config, segment.rung, maximize_ ? -trial.value : trial.value, false});
  const std::size_t b = bracket_of_config(segment.config);
  if (segment.rung + 1 >= rungs_[b].size()) return;  // trained to max_resource
  auto& ranked = ranked_[b][segment.rung];
  const std::size_t index = results_.size() - 1;
  ranked.insert(std::upper_bound(ranked.begin(), ranked.end(), index,
                                 [this](std::size_t x, std::size_t y) { return ranks_before(x, y); }),
                index);
}

bool HalvingStrategy::exhausted() const noexcept {
  return max_configs_ > 0 && static_cast<std::int64_t>(configs_.size()) >= max_configs_ && out_.empty() &&
         next_promotion() < 0;
}

std::vector<std::int64_t> HalvingStrategy::released_checkpoints() {
  std::vector<std::int64_t> out;
  out.swap(released_);
  return out;
}

bool HalvingStrategy::ranks_before(std::size_t x, std::size_t y) const noexcept {
  const Result& a = results_[x];
  const Result& b = results_[y];
  return a.score != b.score ? a.score < b.score : a.trial < b.trial;
}

void HalvingStrategy::rebuild_index() {
  ranked_.assign(rungs_.size(), {});
  for (std::size_t b = 0; b < rungs_.size(); ++b) ranked_[b].assign(rungs_[b].size(), {});
  for (std::size_t i = 0; i < results_.size(); ++i) {
    const std::size_t b = bracket_of_config(results_[i].config);
    if (results_[i].rung + 1 < rungs_[b].size()) ranked_[b][results_[i].rung].push_back(i);
  }
  for (auto& bracket : ranked_)
    for (auto& ranked : bracket)
      std::sort(ranked.begin(), ranked.end(), [this](std::size_t x, std::size_t y) { return ranks_before(x, y); });
}

void HalvingStrategy::save(std::ostream& out) const {
  strategy_state::save(out, kind_name, space_.size(), [&](auto& ar) {
    const std::string rng = strategy_state::rng_to_text(rng_);
    std::vector<double> values, scores;
    for (const auto& c : configs_) values.insert(values.end(), c.begin(), c.end());
    std::vector<std::int64_t> results;  // trial, config, rung, promoted per result
    for (const auto& r : results_) {
      results.insert(results.end(), {r.trial, r.config, std::int64_t{r.rung}, std::int64_t{r.promoted}});
      scores.push_back(r.score);
    }
    std::vector<std::int64_t> pending;  // id, config, rung, parent per segment out
    for (const auto& [id, s] : out_) pending.insert(pending.end(), {id, s.config, std::int64_t{s.rung}, s.parent});
    std::uint64_t config_count = configs_.size();
    ar << rng << config_count << values << results << scores << pending << next_id_ << released_;
  });
}

void HalvingStrategy::load(std::istream& in) {
  strategy_state::load(in, kind_name, space_.size(), [&](auto& ar) {
    std::string rng_text;
    std::uint64_t config_count = 0;
    std::vector<double> values, scores;
    std::vector<std::int64_t> results, pending, released;
    std::int64_t next_id = 0;
    ar >> rng_text >> config_count >> values >> results >> scores >> pending >> next_id >> released;
    const auto corrupt = [] {
      throw InputError(fmt::format("strategy checkpoint of '{}': its rungs are corrupt", kind_name));
    };
    const std::size_t d = space_.size();
    if (values.size() != config_count * d || results.size() != 4 * scores.size() || pending.size() % 4 != 0) corrupt();
    std::vector<std::vector<double>> configs;
    for (std::size_t c = 0; c < config_count; ++c)
      configs.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(c * d),
                           values.begin() + static_cast<std::ptrdiff_t>((c + 1) * d));
    const auto valid = [&](std::int64_t config, std::int64_t rung) {
      return config >= 0 && static_cast<std::uint64_t>(config) < config_count && rung >= 0 &&
             static_cast<std::size_t>(rung) < rungs_[bracket_of_config(config)].size();
    };
    std::vector<Result> kept;
    for (std::size_t i = 0; i < scores.size(); ++i) {
      const std::int64_t* r = &results[4 * i];
      if (!valid(r[1], r[2])) corrupt();
      kept.push_back({r[0], r[1], static_cast<std::uint32_t>(r[2]), scores[i], r[3] != 0});
    }
    std::map<std::int64_t, Segment> out;
    for (std::size_t i = 0; i < pending.size(); i += 4) {
      if (!valid(pending[i + 1], pending[i + 2])) corrupt();
      out[pending[i]] = Segment{pending[i + 1], static_cast<std::uint32_t>(pending[i + 2]), pending[i + 3]};
    }
    rng_ = strategy_state::rng_from_text(rng_text);
    configs_ = std::move(configs);
    results_ = std::move(kept);
    out_ = std::move(out);
    next_id_ = next_id;
    released_ = std::move(released);
    rebuild_index();
  });
}

}  // namespace h5tune
