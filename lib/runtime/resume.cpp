#include "runtime/resume.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"

namespace h5tune::runtime {
namespace {

std::string describe(const Parameter& p) {
  std::string text = fmt::format("{} '{}'", to_string(p.kind), p.name);
  if (p.kind == ParamKind::categorical) return text + fmt::format(" [{}]", fmt::join(p.choices, ", "));
  return text + fmt::format(" [{}, {}]{}", p.low, p.high, p.log ? " log" : "");
}

bool same_parameter(const Parameter& a, const Parameter& b) {
  return a.name == b.name && a.kind == b.kind && a.choices == b.choices &&
         (a.kind == ParamKind::categorical || (a.low == b.low && a.high == b.high && a.log == b.log));
}

/// Why two spaces differ, or empty when they are the same.
std::string space_difference(const Space& log, const Space& study) {
  const std::size_t n = std::min(log.size(), study.size());
  for (std::size_t i = 0; i < n; ++i)
    if (!same_parameter(log[i], study[i]))
      return fmt::format("parameter {} is {} in the log but {} in the study", i + 1, describe(log[i]), describe(study[i]));
  if (log.size() != study.size())
    return fmt::format("the log has {} parameters, the study {}", log.size(), study.size());
  return {};
}

/// Bit-for-bit equality, so that -0.0 != 0.0 and NaN == NaN of the same payload.
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
           return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
         });
}

/// A finished trial whose result counts: kept, never run again. An interrupted trial, or
/// one whose parameters never reached the log, runs again.
bool keeps(const TrialRecord& t, const Space& space) {
  return is_finished(t.state) && t.state != TrialState::interrupted && t.values.size() == space.size();
}

bool better(const TrialRecord& a, const TrialRecord& b, Direction direction) {
  return direction == Direction::minimize ? a.value < b.value : a.value > b.value;
}

/// The trial as it goes out again: same id, seed, parameters, parent, budget and creation
/// time; a fresh result.
TrialRecord prepare_rerun(const TrialRecord& logged, std::uint64_t study_seed) {
  TrialRecord t;
  t.id = logged.id;
  t.seed = trial_seed(study_seed, logged.id);  // a never-written row holds seed 0
  t.values = logged.values;
  t.parent = logged.parent;
  t.budget = logged.budget;
  t.t_created = logged.t_created;
  t.attempt = logged.attempt + 1;
  return t;
}

[[noreturn]] void mismatch(const StudyConfig& study, std::int64_t k, const std::string& why) {
  throw InputError(fmt::format(
      "{}: the log does not match the study's strategy at trial {} ({}); was it written with other strategy "
      "options or another number of workers?",
      study.log.string(), k, why));
}

void replay_reproducible(const StudyConfig& study, Strategy& strategy, int workers, std::vector<TrialRecord>& trials,
                         ResumePlan& plan) {
  plan.rule = ReproducibleRule(workers);
  std::unordered_map<std::int64_t, const TrialRecord*> unfinished;
  for (const auto& t : trials) {
    if (keeps(t, study.space)) plan.rule.add_result(t);
    else unfinished.emplace(t.id, &t);
  }
  const auto running = [&](std::int64_t id) -> const TrialRecord* {
    const auto it = unfinished.find(id);
    return it == unfinished.end() ? nullptr : it->second;
  };
  for (std::int64_t k = 0; k < plan.next_id; ++k) {
    auto suggestion = plan.rule.suggest(k, strategy, running, [](const TrialRecord&) {});
    if (!suggestion) mismatch(study, k, "the rule waits there for a result the log does not hold");
    TrialRecord& logged = trials[static_cast<std::size_t>(k)];
    if (logged.values.size() != study.space.size()) {
      // Killed before this row's parameters were flushed: the rule says what they were.
      logged.values = suggestion->values;
      logged.parent = suggestion->parent;
      logged.budget = suggestion->budget;
    } else if (!same_bits(logged.values, suggestion->values) || logged.parent != suggestion->parent ||
               logged.budget != suggestion->budget) {
      mismatch(study, k, "the strategy suggests other parameters");
    }
  }
}

void replay_async(const LogReader& log, const Space& space, Strategy& strategy, std::vector<TrialRecord>& trials) {
  // Walk the journal: each `ask` event asks the strategy for one point (so sequences such
  // as sobol's or a grid's, and generations, advance as they did), each kept trial is told
  // at its last `tell` event (a re-run trial was told once per attempt). Trials to run
  // again stay pending. The live run asked in batches, hence "equivalent", not identical.
  const auto events = log.events();
  const auto count = static_cast<std::int64_t>(trials.size());
  std::vector<std::size_t> last_tell(trials.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].kind == EventKind::tell && events[i].trial >= 0 && events[i].trial < count)
      last_tell[static_cast<std::size_t>(events[i].trial)] = i;

  std::vector<TrialRecord> pending;
  std::vector<bool> told(trials.size(), false);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.trial < 0 || e.trial >= count) continue;
    TrialRecord& t = trials[static_cast<std::size_t>(e.trial)];
    if (e.kind == EventKind::ask) {
      auto suggestion = strategy.ask(1, pending);
      if (t.values.size() != space.size() && !suggestion.empty()) {
        // Parameters lost with the kill: the replayed suggestion stands in for them.
        t.values = std::move(suggestion.front().values);
        t.parent = suggestion.front().parent;
        t.budget = suggestion.front().budget;
      }
      if (t.values.size() == space.size()) pending.push_back(t);
    } else if (e.kind == EventKind::tell && last_tell[static_cast<std::size_t>(e.trial)] == i && keeps(t, space)) {
      std::erase_if(pending, [&](const TrialRecord& p) { return p.id == t.id; });
      strategy.tell(t);
      told[static_cast<std::size_t>(e.trial)] = true;
    }
  }
  // Kept trials without a tell event (none in a log written by this version) follow in
  // id order; trials still without parameters get fresh ones.
  for (auto& t : trials) {
    if (keeps(t, space) && !told[static_cast<std::size_t>(t.id)]) strategy.tell(t);
    if (t.values.size() == space.size()) continue;
    auto suggestion = strategy.ask(1, pending);
    if (suggestion.empty())
      throw InputError(fmt::format("{}: trial {} has no parameters in the log and strategy '{}' suggests none",
                                   log.path().string(), t.id, strategy.kind()));
    t.values = std::move(suggestion.front().values);
    t.parent = suggestion.front().parent;
    t.budget = suggestion.front().budget;
    pending.push_back(t);
  }
}

}  // namespace

void check_same_study(const LogHeader& log, const StudyConfig& study) {
  std::string why;
  if (const auto space = space_difference(log.space, study.space); !space.empty())
    why = "its space differs: " + space;
  else if (log.seed != study.seed)
    why = fmt::format("its seed is {}, the study's {}", log.seed, study.seed);
  else if (log.strategy != study.strategy.kind)
    why = fmt::format("its strategy is '{}', the study's '{}'", log.strategy, study.strategy.kind);
  else if (log.direction != to_string(study.direction))
    why = fmt::format("its direction is '{}', the study's '{}'", log.direction, to_string(study.direction));
  else if (log.metric != study.metric)
    why = fmt::format("its metric is '{}', the study's '{}'", log.metric, study.metric);
  if (!why.empty())
    throw InputError(fmt::format("{}: cannot resume: the log was written by another study ({}); use --force to "
                                 "replace it or point [study] log elsewhere",
                                 study.log.string(), why));
}

ResumePlan plan_resume(const LogReader& log, const StudyConfig& study, Strategy& strategy, int workers) {
  check_same_study(log.header(), study);
  ResumePlan plan;
  auto trials = log.trials();
  plan.next_id = static_cast<std::int64_t>(trials.size());
  for (const auto& t : trials) {
    if (t.values.size() == study.space.size() && !study.space.contains(t.values))
      throw LogFormatError(fmt::format("{}: trial {} holds parameters outside the space", log.path().string(), t.id));
    if (!keeps(t, study.space)) continue;
    ++plan.kept;
    if (t.state == TrialState::complete && (!plan.best || better(t, *plan.best, study.direction))) plan.best = t;
  }

  if (study.reproducible) replay_reproducible(study, strategy, workers, trials, plan);
  else replay_async(log, study.space, strategy, trials);

  for (const auto& t : trials)
    if (!keeps(t, study.space) && t.id < study.max_trials)
      plan.rerun.push_back(prepare_rerun(t, study.seed));
  return plan;
}

}  // namespace h5tune::runtime
