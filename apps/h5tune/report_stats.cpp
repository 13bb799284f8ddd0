#include "report_stats.hpp"

#include <algorithm>
#include <cmath>

namespace h5tune::cli::report {

StudyStats study_stats(const std::vector<TrialRecord>& trials, bool minimize) {
  StudyStats s;
  s.trials = static_cast<std::int64_t>(trials.size());
  double first = INFINITY, last = -INFINITY;
  for (const auto& t : trials) {
    const auto state = static_cast<std::size_t>(t.state);
    if (state < s.by_state.size()) ++s.by_state[state];
    if (std::isfinite(t.t_created)) first = std::min(first, t.t_created);
    if (std::isfinite(t.t_finished)) last = std::max(last, t.t_finished);
    if (t.state != TrialState::complete || !std::isfinite(t.value)) continue;
    if (!s.best || (minimize ? t.value < s.best->value : t.value > s.best->value)) s.best = t;
  }
  s.first_created = first;
  s.wall_seconds = std::isfinite(first) && std::isfinite(last) ? last - first : NAN;
  if (s.best) {
    const double when = s.best->t_finished;
    for (const auto& t : trials)
      if (is_finished(t.state) && (t.t_finished < when || t.id == s.best->id ||
                                   (t.t_finished == when && t.id < s.best->id)))
        ++s.trials_to_best;
  }
  return s;
}

}  // namespace h5tune::cli::report
