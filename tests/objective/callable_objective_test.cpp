#include <gtest/gtest.h>

#include <stdexcept>

#include "objective/objective_test_support.hpp"

namespace h5tune {
namespace {

class CallableObjectiveTest : public ::testing::Test {
 protected:
  Space space_ = test::sample_space();
  TrialRecord record_ = test::sample_record();
  Trial trial_{space_, record_, {}};
  test::RecordingReporter reporter_;
};

TEST_F(CallableObjectiveTest, ReturnedMetricsPassThrough) {
  CallableObjective objective([](const Trial& t, Reporter& r) {
    r.report(1, {{"loss", 2.0}});
    return Metrics{{"loss", t.number("lr") * 10}, {"layers", t.number("layers")}};
  });
  const Outcome outcome = objective.evaluate(trial_, reporter_);
  EXPECT_EQ(outcome.state, TrialState::complete);
  EXPECT_EQ(outcome.message, "");
  EXPECT_EQ(outcome.metrics, (Metrics{{"loss", 0.01}, {"layers", 3.0}}));
  ASSERT_EQ(reporter_.reports.size(), 1u);
  EXPECT_EQ(reporter_.reports[0].first, 1);
}

TEST_F(CallableObjectiveTest, ExceptionFailsTheTrialWithItsMessage) {
  CallableObjective objective([](const Trial&, Reporter&) -> Metrics {
    throw std::runtime_error("diverged at epoch 3");
  });
  const Outcome outcome = objective.evaluate(trial_, reporter_);
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_EQ(outcome.message, "exception: diverged at epoch 3");
}

TEST_F(CallableObjectiveTest, InputErrorFromTrialAccessIsAFailureToo) {
  CallableObjective objective([](const Trial& t, Reporter&) { return Metrics{{"x", t.number("nope")}}; });
  const Outcome outcome = objective.evaluate(trial_, reporter_);
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_NE(outcome.message.find("'nope'"), std::string::npos) << outcome.message;
}

TEST_F(CallableObjectiveTest, NonStandardExceptionIsUnknown) {
  CallableObjective objective([](const Trial&, Reporter&) -> Metrics { throw 42; });
  const Outcome outcome = objective.evaluate(trial_, reporter_);
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_EQ(outcome.message, "unknown exception");
}

TEST_F(CallableObjectiveTest, ReturningAfterStopRequestIsPruned) {
  CallableObjective objective([](const Trial&, Reporter& r) {
    Metrics last;
    for (std::int64_t step = 1; step <= 100; ++step) {
      last = {{"loss", 1.0 / static_cast<double>(step)}};
      if (!r.report(step, last) || r.should_stop()) break;
    }
    return last;
  });
  reporter_.stop_after_reports = 3;
  const Outcome outcome = objective.evaluate(trial_, reporter_);
  EXPECT_EQ(outcome.state, TrialState::pruned);
  EXPECT_EQ(outcome.message, "stopped on request");
  EXPECT_EQ(reporter_.reports.size(), 3u);
  EXPECT_EQ(outcome.metrics, (Metrics{{"loss", 1.0 / 3.0}}));
}

}  // namespace
}  // namespace h5tune
