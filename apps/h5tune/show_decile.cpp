#include "show_decile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "trial_table.hpp"

namespace h5tune::cli {

void print_best_decile(std::ostream& out, const LogReader& log) {
  const LogHeader& h = log.header();
  const bool minimize = h.direction != "maximize";
  std::vector<double> values;
  for_each_trial(log, [&](const TrialRecord& t) {
    if (t.state == TrialState::complete) values.push_back(t.value);
  });
  if (values.size() < 2) return;
  // The decile's cut, best first: at least one trial, ties at the cut all in.
  const std::size_t count = std::max<std::size_t>(1, values.size() / 10);
  auto cut = values.begin() + static_cast<std::ptrdiff_t>(count - 1);
  if (minimize) std::nth_element(values.begin(), cut, values.end());
  else std::nth_element(values.begin(), cut, values.end(), std::greater<>());
  const double threshold = *cut;

  const Space& space = h.space;
  std::vector<double> low(space.size(), std::numeric_limits<double>::infinity());
  std::vector<double> high(space.size(), -std::numeric_limits<double>::infinity());
  std::vector<std::set<double>> seen(space.size());
  std::size_t members = 0;
  for_each_trial(log, [&](const TrialRecord& t) {
    if (t.state != TrialState::complete || t.values.size() != space.size()) return;
    if (minimize ? t.value > threshold : t.value < threshold) return;
    ++members;
    for (std::size_t i = 0; i < space.size(); ++i) {
      low[i] = std::min(low[i], t.values[i]);
      high[i] = std::max(high[i], t.values[i]);
      if (space[i].kind == ParamKind::categorical) seen[i].insert(t.values[i]);
    }
  });
  out << fmt::format("\nbest decile ({} of {} complete trials, {} {} {:.8g}):\n", members, values.size(), h.metric,
                     minimize ? "<=" : ">=", threshold);
  for (std::size_t i = 0; i < space.size(); ++i) {
    std::string where;
    if (space[i].kind == ParamKind::categorical) {
      for (const double v : seen[i]) where += (where.empty() ? "" : ", ") + space.format(i, v);
      where = "{" + where + "}";
    } else {
      where = fmt::format("[{}, {}]", space.format(i, low[i]), space.format(i, high[i]));
    }
    out << fmt::format("  {:<16} {}\n", space[i].name, where);
  }
}

}  // namespace h5tune::cli
