#include "strategy/pbt/pbt_strategy.hpp"

#include <algorithm>
#include <cmath>

#include "h5tune/seed.hpp"
#include "strategy/state_archive.hpp"
#include "strategy/study_direction.hpp"

namespace h5tune {
namespace {

const OptionSpec pbt_population_spec{"population", OptionType::integer, std::int64_t{8},
                                 "members trained side by side", 2.0, 1e6};
const OptionSpec interval_spec{"interval", OptionType::integer, std::int64_t{1},
                               "steps per segment (each trial's budget)", 1.0, 1e15};
const OptionSpec quantile_spec{"quantile", OptionType::real, 0.25,
                               "fraction at the bottom that copies one at the top", 0.01, 0.5};
const OptionSpec resample_spec{"resample_probability", OptionType::real, 0.25,
                               "chance an explored parameter is drawn afresh instead of perturbed", 0.0, 1.0};
const OptionSpec generations_spec{"generations", OptionType::integer, std::int64_t{0},
                                  "segments a model trains at most (0: until max_trials)", 0.0, 1e15};

}  // namespace

std::vector<OptionSpec> PbtStrategy::option_specs() {
  return {pbt_population_spec, interval_spec, quantile_spec, resample_spec, generations_spec};
}

PbtStrategy::PbtStrategy(const Options& options, const Space& space, std::uint64_t seed)
    : space_(space),
      population_(static_cast<std::size_t>(options.get_int(pbt_population_spec))),
      interval_(options.get_int(interval_spec)),
      quantile_(options.get_real(quantile_spec)),
      generations_(options.get_int(generations_spec)),
      perturb_{options.get_real(resample_spec), 0.8, 1.2},
      maximize_(maximizes(options, kind_name)),
      rng_(seed),
      members_(population_) {
  for (std::size_t m = 0; m < population_; ++m) {
    members_[m].values = pbt::random_point(space_, rng_);
    ready_.push_back(m);
  }
}

bool PbtStrategy::finished(std::int64_t last_generation) const noexcept {
  return generations_ > 0 && last_generation + 1 >= generations_;
}

bool PbtStrategy::exhausted() const noexcept {
  return std::all_of(members_.begin(), members_.end(), [](const Member& m) { return m.done; });
}

std::vector<Suggestion> PbtStrategy::ask(std::size_t n, const std::vector<TrialRecord>& pending) {
  // Ids follow the order of suggestions; a trial we never suggested (a gap in a replayed
  // journal) moves the count on so the ids after it still match.
  for (const auto& t : pending) next_id_ = std::max(next_id_, t.id + 1);
  std::vector<Suggestion> out;
  while (out.size() < n && !ready_.empty()) {
    const std::size_t m = ready_.front();
    ready_.pop_front();
    Member& member = members_[m];
    member.running = true;
    out_[next_id_++] = m;
    out.push_back({member.values, member.parent, interval_});
  }
  return out;
}

void PbtStrategy::tell(const TrialRecord& trial) {
  next_id_ = std::max(next_id_, trial.id + 1);
  const auto found = out_.find(trial.id);
  if (found == out_.end()) return;  // not one of our segments, or told already
  const std::size_t m = found->second;
  out_.erase(found);
  Member& member = members_[m];
  member.running = false;
  if (trial.state == TrialState::interrupted) {
    // The run stops; the same segment runs again (a resumed run re-runs it with its id).
    ready_.push_back(m);
    return;
  }
  const std::int64_t restored = member.parent;
  if (trial.state == TrialState::complete && std::isfinite(trial.value)) {
    const std::int64_t previous = member.last;
    member.last = trial.id;
    // The values the segment really trained with (the logged ones, on a resume).
    member.last_values = trial.values.size() == space_.size() ? trial.values : member.values;
    member.last_generation = member.generation;
    member.score = maximize_ ? -trial.value : trial.value;
    after_complete(m);
    if (previous >= 0 && previous != restored) release_if_unused(previous);
  } else {
    released_.push_back(trial.id);  // a failed segment's checkpoint is never restored
    after_failure(m);
  }
  if (restored >= 0) release_if_unused(restored);
}

std::vector<std::size_t> PbtStrategy::top_members(std::size_t m, bool& bottom) const {
  std::vector<std::size_t> ranked;
  for (std::size_t i = 0; i < members_.size(); ++i)
    if (members_[i].last >= 0) ranked.push_back(i);
  // Best first; ties by member index, so the order never depends on timing.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](std::size_t a, std::size_t b) { return members_[a].score < members_[b].score; });
  const std::size_t n = ranked.size();
  const auto k = std::min(static_cast<std::size_t>(std::ceil(quantile_ * static_cast<double>(n))), n / 2);
  const auto rank = std::find(ranked.begin(), ranked.end(), m);
  bottom = rank != ranked.end() && static_cast<std::size_t>(rank - ranked.begin()) >= n - k;
  std::vector<std::size_t> top;
  for (std::size_t r = 0; r < k; ++r)
    if (ranked[r] != m && !finished(members_[ranked[r]].last_generation)) top.push_back(ranked[r]);
  return top;
}

void PbtStrategy::exploit(std::size_t m, std::size_t from) {
  Member& member = members_[m];
  const Member& source = members_[from];
  member.parent = source.last;
  member.generation = source.last_generation + 1;
  member.values = pbt::explore(space_, source.last_values, perturb_, rng_);
}

void PbtStrategy::after_complete(std::size_t m) {
  Member& member = members_[m];
  if (finished(member.last_generation)) {
    member.done = true;  // its last checkpoint stays: the member's final model
    return;
  }
  bool bottom = false;
  const auto top = top_members(m, bottom);
  if (bottom && !top.empty()) {
    exploit(m, top[uniform_index(top.size(), rng_)]);
  } else {
    member.parent = member.last;
    member.generation = member.last_generation + 1;
    member.values = member.last_values;
  }
  ready_.push_back(m);
}

void PbtStrategy::after_failure(std::size_t m) {
  Member& member = members_[m];
  bool bottom = false;
  const auto top = top_members(m, bottom);
  if (!top.empty()) {
    exploit(m, top[uniform_index(top.size(), rng_)]);
  } else {
    // Nobody to copy yet: retry from its own checkpoint with fresh hyperparameters.
    member.parent = member.last;
    member.generation = member.last_generation + 1;
    member.values = pbt::random_point(space_, rng_);
  }
  ready_.push_back(m);
}

void PbtStrategy::release_if_unused(std::int64_t checkpoint) {
  for (const auto& member : members_) {
    if (member.last == checkpoint) return;
    // The segment a member runs or waits to run restores this one.
    if (member.parent == checkpoint && !member.done) return;
  }
  released_.push_back(checkpoint);
}

std::vector<std::int64_t> PbtStrategy::released_checkpoints() {
  std::vector<std::int64_t> out;
  out.swap(released_);
  return out;
}

void PbtStrategy::save(std::ostream& out) const {
  strategy_state::save(out, kind_name, space_.size(), [&](auto& ar) {
    const std::string rng = strategy_state::rng_to_text(rng_);
    std::vector<double> values, last_values, scores;
    std::vector<std::int64_t> numbers;  // parent, generation, last, last_generation per member
    std::vector<std::uint8_t> flags;    // running, done, has last_values per member
    for (const auto& m : members_) {
      values.insert(values.end(), m.values.begin(), m.values.end());
      last_values.insert(last_values.end(), m.last_values.begin(), m.last_values.end());
      scores.push_back(m.score);
      numbers.insert(numbers.end(), {m.parent, m.generation, m.last, m.last_generation});
      flags.insert(flags.end(), {std::uint8_t(m.running), std::uint8_t(m.done), std::uint8_t(!m.last_values.empty())});
    }
    std::vector<std::uint64_t> ready(ready_.begin(), ready_.end());
    std::vector<std::int64_t> out_ids;
    std::vector<std::uint64_t> out_members;
    for (const auto& [id, m] : out_) {
      out_ids.push_back(id);
      out_members.push_back(m);
    }
    std::uint64_t population = population_;
    ar << rng << population << values << last_values << scores << numbers << flags << ready << out_ids
       << out_members << next_id_ << released_;
  });
}

void PbtStrategy::load(std::istream& in) {
  strategy_state::load(in, kind_name, space_.size(), [&](auto& ar) {
    std::string rng_text;
    std::uint64_t population = 0;
    std::vector<double> values, last_values, scores;
    std::vector<std::int64_t> numbers, out_ids, released;
    std::vector<std::uint8_t> flags;
    std::vector<std::uint64_t> ready, out_members;
    std::int64_t next_id = 0;
    ar >> rng_text >> population >> values >> last_values >> scores >> numbers >> flags >> ready >> out_ids >>
        out_members >> next_id >> released;
    const std::size_t d = space_.size();
    const auto corrupt = [] { throw InputError("strategy checkpoint of 'pbt': the population is corrupt"); };
    if (population != population_)
      throw InputError("strategy checkpoint of 'pbt': written for a population of " + std::to_string(population) +
                       ", the study has " + std::to_string(population_));
    if (values.size() != population * d || scores.size() != population || numbers.size() != 4 * population ||
        flags.size() != 3 * population || out_ids.size() != out_members.size())
      corrupt();
    std::vector<Member> members(population_);
    std::size_t with_last = 0;
    for (std::size_t i = 0; i < population_; ++i) {
      Member& m = members[i];
      const auto at = [&](const std::vector<double>& v, std::size_t row) {
        const auto first = v.begin() + static_cast<std::ptrdiff_t>(row * d);
        return std::vector<double>(first, first + static_cast<std::ptrdiff_t>(d));
      };
      m.values = at(values, i);
      m.score = scores[i];
      m.parent = numbers[4 * i];
      m.generation = numbers[4 * i + 1];
      m.last = numbers[4 * i + 2];
      m.last_generation = numbers[4 * i + 3];
      m.running = flags[3 * i] != 0;
      m.done = flags[3 * i + 1] != 0;
      if (flags[3 * i + 2] != 0) {
        if (last_values.size() < (with_last + 1) * d) corrupt();
        m.last_values = at(last_values, with_last++);
      }
    }
    if (last_values.size() != with_last * d) corrupt();
    std::map<std::int64_t, std::size_t> out;
    for (std::size_t i = 0; i < out_ids.size(); ++i) {
      if (out_members[i] >= population_) corrupt();
      out[out_ids[i]] = static_cast<std::size_t>(out_members[i]);
    }
    std::deque<std::size_t> queue;
    for (const auto m : ready) {
      if (m >= population_) corrupt();
      queue.push_back(static_cast<std::size_t>(m));
    }
    rng_ = strategy_state::rng_from_text(rng_text);
    members_ = std::move(members);
    ready_ = std::move(queue);
    out_ = std::move(out);
    next_id_ = next_id;
    released_ = std::move(released);
  });
}

}  // namespace h5tune
