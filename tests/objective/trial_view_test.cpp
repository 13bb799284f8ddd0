#include <gtest/gtest.h>

#include <string>

#include "h5tune/error.hpp"
#include "objective/objective_test_support.hpp"

namespace h5tune {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(TrialView, ReadsParametersByName) {
  const Space space = test::sample_space();
  const TrialRecord record = test::sample_record();
  const Trial trial(space, record, "some/dir");
  EXPECT_EQ(trial.id(), 12);
  EXPECT_EQ(trial.seed(), 18446744073709551615ull);
  EXPECT_EQ(trial.budget(), 7);
  EXPECT_EQ(trial.dir(), "some/dir");
  EXPECT_DOUBLE_EQ(trial.number("lr"), 0.001);
  EXPECT_DOUBLE_EQ(trial.number("layers"), 3.0);
  EXPECT_EQ(trial.integer("layers"), 3);
  EXPECT_EQ(trial.choice("act"), "tanh");
  EXPECT_EQ(trial.text("layers"), "3");
  EXPECT_EQ(trial.text("act"), "tanh");
  EXPECT_EQ(trial.text("lr"), space.format(0, 0.001));
}

TEST(TrialView, UnknownNameListsKnownOnes) {
  const Space space = test::sample_space();
  const TrialRecord record = test::sample_record();
  const Trial trial(space, record, {});
  const std::string message = message_of([&] { trial.number("lrr"); });
  EXPECT_NE(message.find("'lrr'"), std::string::npos) << message;
  EXPECT_NE(message.find("lr, layers, act"), std::string::npos) << message;
  EXPECT_THROW(trial.text("nope"), InputError);
  EXPECT_THROW(trial.choice("nope"), InputError);
}

TEST(TrialView, WrongKindIsAnInputErrorNamingTheParameter) {
  const Space space = test::sample_space();
  const TrialRecord record = test::sample_record();
  const Trial trial(space, record, {});
  EXPECT_NE(message_of([&] { trial.number("act"); }).find("'act' is a choice"), std::string::npos);
  EXPECT_NE(message_of([&] { trial.integer("lr"); }).find("'lr' is a float"), std::string::npos);
  EXPECT_NE(message_of([&] { trial.choice("layers"); }).find("'layers' is an integer"),
            std::string::npos);
}

TEST(TrialView, RecordWithTooFewValuesIsAnError) {
  const Space space = test::sample_space();
  TrialRecord record = test::sample_record();
  record.values = {0.001};
  const Trial trial(space, record, {});
  EXPECT_DOUBLE_EQ(trial.number("lr"), 0.001);
  EXPECT_THROW(trial.integer("layers"), InputError);
}

}  // namespace
}  // namespace h5tune
