#include "show_lineage.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "trial_table.hpp"

namespace h5tune::cli {
namespace {

std::string value_text(double v) { return std::isnan(v) ? std::string("-") : fmt::format("{:.6g}", v); }

/// One row of the schedule: consecutive segments with the same parameters.
struct Stretch {
  std::int64_t first_step = 0;
  std::int64_t last_step = 0;  ///< 0 when the budgets are unknown (0: unlimited)
  const TrialRecord* trial = nullptr;
};

std::vector<Stretch> schedule(const std::vector<TrialRecord>& chain) {
  std::vector<Stretch> out;
  std::int64_t steps = 0;
  bool known = true;
  for (const auto& t : chain) {
    known = known && t.budget > 0;
    const std::int64_t first = steps + 1;
    steps += t.budget;
    if (!out.empty() && out.back().trial->values == t.values) {
      out.back().last_step = known ? steps : 0;
      continue;
    }
    out.push_back({known ? first : 0, known ? steps : 0, &t});
  }
  return out;
}

}  // namespace

std::vector<TrialRecord> ancestry(const LogReader& log, std::int64_t id) {
  std::vector<TrialRecord> chain;
  const std::int64_t count = log.trial_count();
  if (id < 0 || id >= count)
    throw InputError(fmt::format("{}: no trial {} (the log holds trials 0..{})", log.path().string(), id, count - 1));
  for (std::int64_t at = id; at >= 0;) {
    chain.push_back(log.trials(at, 1).at(0));
    const std::int64_t parent = chain.back().parent;
    // A parent finished before its child was created, so it has a smaller id: this also
    // rules out cycles in a corrupt file.
    if (parent >= at)
      throw LogFormatError(fmt::format("{}: trial {} names parent {}, which is not an earlier trial",
                                       log.path().string(), at, parent));
    at = parent;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

void print_lineage(std::ostream& out, const LogReader& log, std::int64_t id) {
  const auto chain = ancestry(log, id);
  const LogHeader& h = log.header();
  out << fmt::format("lineage of trial {}: {} segment{} from trial {} (generation = position in the chain)\n", id,
                     chain.size(), chain.size() == 1 ? "" : "s", chain.front().id);
  out << fmt::format("  {:>10}  {:>8}  {:<11}  {:>12}  {:>8}  {:<7}  {}\n", "generation", "trial", "state", h.metric,
                     "budget", "change", "parameters");
  for (std::size_t g = 0; g < chain.size(); ++g) {
    const TrialRecord& t = chain[g];
    const bool explored = g > 0 && t.values != chain[g - 1].values;
    out << fmt::format("  {:>10}  {:>8}  {:<11}  {:>12}  {:>8}  {:<7}  {}\n", g, t.id, to_string(t.state),
                       value_text(t.value), t.budget, explored ? "explore" : "", format_params(h.space, t));
  }
  out << "hyperparameter schedule (cumulative steps):\n";
  for (const auto& s : schedule(chain)) {
    const std::string steps = s.first_step > 0 ? fmt::format("steps {}-{}", s.first_step, s.last_step) : "steps ?";
    out << fmt::format("  {:<18}  {}\n", steps, format_params(h.space, *s.trial));
  }
}

void print_best_lineage(std::ostream& out, const LogReader& log) {
  const bool minimize = log.header().direction != "maximize";
  std::int64_t best = -1;
  double best_value = 0.0;
  bool any_parent = false;
  for_each_trial(log, [&](const TrialRecord& t) {
    any_parent = any_parent || t.parent >= 0;
    if (t.state != TrialState::complete) return;
    if (best < 0 || (minimize ? t.value < best_value : t.value > best_value)) {
      best = t.id;
      best_value = t.value;
    }
  });
  if (!any_parent)
    throw InputError(fmt::format("{}: no trial continues another, so there is no lineage to show (--lineage is for "
                                 "pbt and successive_halving studies; this one's strategy is '{}')",
                                 log.path().string(), log.header().strategy));
  if (best < 0) throw InputError(fmt::format("{}: no trial completed, so there is no best lineage", log.path().string()));
  out << fmt::format("best trial {} ({} {} = {:.8g})\n", best, log.header().direction, log.header().metric, best_value);
  print_lineage(out, log, best);
}

}  // namespace h5tune::cli
