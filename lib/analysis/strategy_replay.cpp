#include "h5tune/strategy_replay.hpp"

#include <bit>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "runtime/resume.hpp"

namespace h5tune {
namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i])) return false;
  return true;
}

/// Compares one logged trial with the suggestion derived for it (nullptr: none).
void compare(StrategyReplay& out, const TrialRecord& logged, const Suggestion* derived, std::size_t dims,
             std::uint64_t study_seed) {
  if (logged.values.size() != dims) {
    ++out.unchecked;
    if (out.note.empty()) out.note = "trials whose parameters never reached the log (a killed run) are not compared";
    return;
  }
  ++out.checked;
  if (derived && same_bits(logged.values, derived->values) && logged.parent == derived->parent &&
      logged.budget == derived->budget && logged.seed == suggestion_seed(study_seed, logged.id, *derived))
    return;
  SuggestionMismatch m;
  m.trial = logged.id;
  m.logged = logged.values;
  m.logged_parent = logged.parent;
  m.logged_budget = logged.budget;
  m.logged_seed = logged.seed;
  if (derived) {
    m.derived = derived->values;
    m.derived_parent = derived->parent;
    m.derived_budget = derived->budget;
    m.derived_seed = suggestion_seed(study_seed, logged.id, *derived);
  }
  out.mismatches.push_back(std::move(m));
}

}  // namespace

StrategyReplay replay_strategy(const LogReader& log, const StudyConfig& study) {
  const LogHeader& h = log.header();
  if (h.space.size() != study.space.size())
    throw InputError(fmt::format("{}: the log has {} parameters, its study {}", log.path().string(), h.space.size(),
                                 study.space.size()));
  auto strategy = runtime::initial_strategy(study);
  auto trials = log.trials();
  StrategyReplay out;
  const std::size_t dims = study.space.size();
  if (study.reproducible) {
    out.mode = "reproducible";
    runtime::ReproducibleRule rule(std::max(1, h.mpi_size - 1));
    const auto end = static_cast<std::int64_t>(trials.size());
    const auto reached = runtime::replay_rule(study.space, *strategy, rule, trials, end,
                                              [&](TrialRecord& logged, const Suggestion& derived) {
                                                compare(out, logged, &derived, dims, study.seed);
                                              });
    if (reached < end) {
      out.unchecked += end - reached;
      out.note = fmt::format("from trial {} on the rule waits for a result the log does not hold", reached);
    }
  } else {
    out.mode = "async";
    std::vector<bool> asked(trials.size(), false);
    const auto walk = runtime::replay_journal(log.events(), study.space, *strategy, trials, runtime::TellRule::as_logged,
                                              true, [&](TrialRecord& logged, const Suggestion* derived) {
                                                asked[static_cast<std::size_t>(logged.id)] = true;
                                                compare(out, logged, derived, dims, study.seed);
                                              });
    std::int64_t never = 0;
    for (bool a : asked) never += a ? 0 : 1;
    if (never > 0) {
      out.unchecked += never;
      out.note = walk.stopped_at_resume
                     ? fmt::format("{} trials were asked after the run was resumed (the resumed run rebuilt its strategy)", never)
                     : fmt::format("{} trials have no `ask` event in the journal", never);
    }
  }
  return out;
}

}  // namespace h5tune
