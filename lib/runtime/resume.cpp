#include "runtime/resume.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "strategy/enqueued_strategy.hpp"

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

/// A trial whose row was never written takes what the replayed strategy suggests for it.
void adopt(TrialRecord& t, const Suggestion& suggestion, std::uint64_t study_seed) {
  t.values = suggestion.values;
  t.parent = suggestion.parent;
  t.budget = suggestion.budget;
  t.seed = suggestion_seed(study_seed, t.id, suggestion);
}

/// The trial as it goes out again: same id, seed, parameters, parent, budget and creation
/// time; a fresh result.
TrialRecord prepare_rerun(const TrialRecord& logged, std::uint64_t study_seed) {
  TrialRecord t;
  t.id = logged.id;
  // A row never written holds seed 0, unless adopt() gave it its suggestion's.
  t.seed = logged.seed != 0 ? logged.seed : trial_seed(study_seed, logged.id);
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
  const std::int64_t reached =
      replay_rule(study.space, strategy, plan.rule, trials, plan.next_id, [&](TrialRecord& logged, const Suggestion& derived) {
        if (logged.values.size() != study.space.size()) {
          // Killed before this row's parameters were flushed: the rule says what they were.
          adopt(logged, derived, study.seed);
        } else if (!same_bits(logged.values, derived.values) || logged.parent != derived.parent ||
                   logged.budget != derived.budget || logged.seed != suggestion_seed(study.seed, logged.id, derived)) {
          mismatch(study, logged.id, "the strategy suggests other parameters");
        }
      });
  if (reached < plan.next_id) mismatch(study, reached, "the rule waits there for a result the log does not hold");
}

void replay_async(const LogReader& log, const Space& space, std::uint64_t study_seed, Strategy& strategy,
                  std::vector<TrialRecord>& trials) {
  // Each kept trial is told at its last `tell` event (a re-run trial was told once per
  // attempt); trials to run again stay pending.
  auto walk = replay_journal(log.events(), space, strategy, trials, TellRule::kept_once, false,
                             [&](TrialRecord& t, const Suggestion* derived) {
                               if (t.values.size() != space.size() && derived) {
                                 // Parameters lost with the kill: the replayed suggestion stands in for them.
                                 adopt(t, *derived, study_seed);
                               }
                             });
  // Kept trials without a tell event (none in a log written by this version) follow in
  // id order; trials still without parameters get fresh ones.
  for (auto& t : trials) {
    if (keeps(t, space) && !walk.told[static_cast<std::size_t>(t.id)]) strategy.tell(t);
    if (t.values.size() == space.size()) continue;
    auto suggestion = strategy.ask(1, walk.pending);
    if (suggestion.empty())
      throw InputError(fmt::format("{}: trial {} has no parameters in the log and strategy '{}' suggests none",
                                   log.path().string(), t.id, strategy.kind()));
    adopt(t, suggestion.front(), study_seed);
    walk.pending.push_back(t);
  }
}

}  // namespace

std::unique_ptr<Strategy> initial_strategy(const StudyConfig& study) {
  // Strategies compare values, so they learn the study's direction as the hidden option
  // "direction" (see docs/strategies.md).
  StrategyConfig config = study.strategy;
  config.options.set("direction", std::string(to_string(study.direction)));
  auto strategy = make_strategy(config, study.space, derive_seed(study.seed, SeedStream::strategy, 0));
  if (study.enqueued.empty()) return strategy;
  if (strategy_resumes_checkpoints(config.kind))
    throw InputError(fmt::format("enqueued points are not supported with strategy '{}': its trials continue "
                                 "checkpoints of configurations it chose itself",
                                 config.kind));
  return std::make_unique<EnqueuedStrategy>(std::move(strategy), study.space, study.enqueued,
                                            derive_seed(study.seed, SeedStream::enqueued, 0));
}

std::int64_t replay_rule(const Space& space, Strategy& strategy, ReproducibleRule& rule, std::vector<TrialRecord>& trials,
                         std::int64_t end, const std::function<void(TrialRecord& logged, const Suggestion& derived)>& visit) {
  std::unordered_map<std::int64_t, const TrialRecord*> unfinished;
  for (const auto& t : trials) {
    if (keeps(t, space)) rule.add_result(t);
    else unfinished.emplace(t.id, &t);
  }
  const auto running = [&](std::int64_t id) -> const TrialRecord* {
    const auto it = unfinished.find(id);
    return it == unfinished.end() ? nullptr : it->second;
  };
  for (std::int64_t k = 0; k < end && k < static_cast<std::int64_t>(trials.size()); ++k) {
    auto suggestion = rule.suggest(k, strategy, running, [](const TrialRecord&) {});
    if (!suggestion) return k;
    visit(trials[static_cast<std::size_t>(k)], *suggestion);
  }
  return end;
}

JournalReplay replay_journal(const std::vector<Event>& events, const Space& space, Strategy& strategy,
                             std::vector<TrialRecord>& trials, TellRule tells, bool stop_at_resume,
                             const std::function<void(TrialRecord& logged, const Suggestion* derived)>& visit) {
  const auto count = static_cast<std::int64_t>(trials.size());
  const auto known = [&](const Event& e) { return e.trial >= 0 && e.trial < count; };
  std::vector<std::size_t> last_tell(trials.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].kind == EventKind::tell && known(events[i])) last_tell[static_cast<std::size_t>(events[i].trial)] = i;

  JournalReplay out;
  out.told.assign(trials.size(), false);
  std::vector<std::size_t> slot(trials.size(), SIZE_MAX);  // position in out.pending
  const auto add_pending = [&](const TrialRecord& t) {
    if (slot[static_cast<std::size_t>(t.id)] != SIZE_MAX || t.values.size() != space.size()) return;
    slot[static_cast<std::size_t>(t.id)] = out.pending.size();
    out.pending.push_back(rerun_record(t));
  };
  const auto remove_pending = [&](std::int64_t id) {  // the manager's swap-remove
    const std::size_t at = slot[static_cast<std::size_t>(id)];
    if (at == SIZE_MAX) return;
    slot[static_cast<std::size_t>(id)] = SIZE_MAX;
    if (at + 1 != out.pending.size()) {
      out.pending[at] = std::move(out.pending.back());
      slot[static_cast<std::size_t>(out.pending[at].id)] = at;
    }
    out.pending.pop_back();
  };

  bool started = false;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.kind == EventKind::run_start) {
      if (started && stop_at_resume) {
        out.stopped_at_resume = true;
        break;
      }
      started = true;
    }
    if (!known(e)) continue;
    TrialRecord& t = trials[static_cast<std::size_t>(e.trial)];
    switch (e.kind) {
      case EventKind::ask: {
        // One manager ask served every `ask` of this run of ask/start events.
        std::vector<std::size_t> batch;
        for (std::size_t j = i; j < events.size() && (events[j].kind == EventKind::ask || events[j].kind == EventKind::start); ++j)
          if (events[j].kind == EventKind::ask && known(events[j])) batch.push_back(j);
        auto suggestions = strategy.ask(batch.size(), out.pending);
        for (std::size_t b = 0; b < batch.size(); ++b) {
          TrialRecord& asked = trials[static_cast<std::size_t>(events[batch[b]].trial)];
          visit(asked, b < suggestions.size() ? &suggestions[b] : nullptr);
          add_pending(asked);
        }
        i = batch.back();  // the batch's remaining `start` events only confirm what is pending
        break;
      }
      case EventKind::start: add_pending(t); break;  // a retried or re-run trial
      case EventKind::tell:
        // kept_once: a trial the resume runs again stays pending.
        if (tells == TellRule::as_logged || (last_tell[static_cast<std::size_t>(e.trial)] == i && keeps(t, space))) {
          remove_pending(t.id);
          strategy.tell(t);
          out.told[static_cast<std::size_t>(e.trial)] = true;
        }
        break;
      case EventKind::retry:
        if (tells == TellRule::as_logged) remove_pending(t.id);
        break;
      default: break;
    }
  }
  return out;
}

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
    if (t.state == TrialState::failed) ++plan.kept_failed;
    if (t.state == TrialState::pruned) ++plan.kept_pruned;
    if (t.state == TrialState::complete && (!plan.best || better(t, *plan.best, study.direction))) plan.best = t;
  }

  if (study.reproducible) replay_reproducible(study, strategy, workers, trials, plan);
  else replay_async(log, study.space, study.seed, strategy, trials);

  for (const auto& t : trials)
    if (!keeps(t, study.space) && t.id < study.max_trials)
      plan.rerun.push_back(prepare_rerun(t, study.seed));
  if (study.stopping) {
    for (const auto& t : trials)
      if (keeps(t, study.space)) plan.stopping_trials.push_back(t);
    plan.stopping_reports = log.reports();
    // A re-run trial reports again from its first step.
    std::erase_if(plan.stopping_reports, [&](const Report& r) {
      return r.trial < 0 || r.trial >= plan.next_id || !keeps(trials[static_cast<std::size_t>(r.trial)], study.space);
    });
  }
  return plan;
}

}  // namespace h5tune::runtime
