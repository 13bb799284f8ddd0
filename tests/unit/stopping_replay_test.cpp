// A resumed run's stopping rule: TrialStopper::replay feeds the earlier runs' reports and
// finished trials, so the rule decides on new reports as the uninterrupted run would.
#include <gtest/gtest.h>

#include <vector>

#include "h5tune/study.hpp"
#include "stopping/trial_stopper.hpp"

namespace h5tune {
namespace {

StudyConfig study_with(StoppingKind kind) {
  StudyConfig study;
  study.metric = "loss";
  StoppingConfig stopping;
  stopping.kind = kind;
  stopping.min_resource = 1;
  stopping.max_resource = 9;
  stopping.reduction_factor = 3;
  stopping.warmup_trials = 2;
  study.stopping = stopping;
  return study;
}

Report report(std::int64_t trial, std::int64_t step, double loss, double time) {
  return Report{trial, step, time, {{"loss", loss}}};
}

TrialRecord finished_at(std::int64_t id, double value, double time) {
  TrialRecord t;
  t.id = id;
  t.state = TrialState::complete;
  t.value = value;
  t.t_finished = time;
  return t;
}

class StoppingReplay : public testing::TestWithParam<StoppingKind> {};

TEST_P(StoppingReplay, DecidesLikeTheRuleThatSawTheRunLive) {
  const StudyConfig study = study_with(GetParam());
  // Six trials, good ones first, each reporting steps 1..3 and finishing.
  std::vector<Report> reports;
  std::vector<TrialRecord> trials;
  double time = 0.0;
  for (std::int64_t id = 0; id < 6; ++id) {
    for (std::int64_t step = 1; step <= 3; ++step)
      reports.push_back(report(id, step, static_cast<double>(id) + 1.0 / static_cast<double>(step), time += 1.0));
    trials.push_back(finished_at(id, static_cast<double>(id), time += 1.0));
  }
  stopping::TrialStopper live(study);
  std::size_t next = 0;
  for (const auto& r : reports) {
    while (next < trials.size() && trials[next].t_finished < r.time) live.finished(trials[next++]);
    live.should_stop(r.trial, r.step, r.metrics);
  }
  while (next < trials.size()) live.finished(trials[next++]);

  stopping::TrialStopper replayed(study);
  replayed.replay(reports, trials);
  stopping::TrialStopper fresh(study);

  // A poor new trial: the rule that saw the history stops it, a fresh one cannot yet.
  bool live_stops = false, replayed_stops = false, fresh_stops = false;
  for (std::int64_t step = 1; step <= 3; ++step) {
    const Metrics poor{{"loss", 100.0 + static_cast<double>(step)}};
    live_stops = live.should_stop(6, step, poor) || live_stops;
    replayed_stops = replayed.should_stop(6, step, poor) || replayed_stops;
    fresh_stops = fresh.should_stop(6, step, poor) || fresh_stops;
  }
  EXPECT_TRUE(live_stops);
  EXPECT_EQ(replayed_stops, live_stops);
  EXPECT_FALSE(fresh_stops);
}

INSTANTIATE_TEST_SUITE_P(Rules, StoppingReplay, testing::Values(StoppingKind::median, StoppingKind::asha),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

}  // namespace
}  // namespace h5tune
