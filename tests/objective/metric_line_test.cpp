#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "h5tune/metric_line.hpp"

namespace h5tune {
namespace {

TEST(MetricLine, ParsesStepAndMetricsInOrder) {
  std::string error;
  const auto line = parse_metric_line("h5tune: step=3 loss=0.41 acc=0.9", &error);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(error, "");
  ASSERT_TRUE(line->step.has_value());
  EXPECT_EQ(*line->step, 3);
  EXPECT_EQ(line->metrics, (Metrics{{"loss", 0.41}, {"acc", 0.9}}));
}

TEST(MetricLine, WithoutStepIsFinal) {
  const auto line = parse_metric_line("h5tune: val_loss=1e-3");
  ASSERT_TRUE(line.has_value());
  EXPECT_FALSE(line->step.has_value());
  EXPECT_EQ(line->metrics, (Metrics{{"val_loss", 1e-3}}));
}

TEST(MetricLine, ToleratesWhitespaceEverywhere) {
  std::string error;
  const auto line = parse_metric_line(" \t h5tune:step=2\t loss = 0.5   acc=+2 \r", &error);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(error, "");
  EXPECT_EQ(line->step, 2);
  EXPECT_EQ(line->metrics, (Metrics{{"loss", 0.5}, {"acc", 2.0}}));
}

TEST(MetricLine, NamesMayContainDotsDashesDigits) {
  const auto line = parse_metric_line("h5tune: val.top-1_acc2=0.7 _x=1");
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->metrics, (Metrics{{"val.top-1_acc2", 0.7}, {"_x", 1.0}}));
}

TEST(MetricLine, NanAndInfinityParseAsNonFinite) {
  const auto line = parse_metric_line("h5tune: a=nan b=inf c=-inf d=NaN");
  ASSERT_TRUE(line.has_value());
  ASSERT_EQ(line->metrics.size(), 4u);
  EXPECT_TRUE(std::isnan(line->metrics[0].value));
  EXPECT_EQ(line->metrics[1].value, INFINITY);
  EXPECT_EQ(line->metrics[2].value, -INFINITY);
  EXPECT_TRUE(std::isnan(line->metrics[3].value));
}

TEST(MetricLine, MalformedPairsAreSkippedAndReported) {
  std::string error;
  const auto line = parse_metric_line("h5tune: loss=abc 1bad=2 lonely acc=0.5 x=1.5.2", &error);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->metrics, (Metrics{{"acc", 0.5}}));
  EXPECT_NE(error.find("loss"), std::string::npos) << error;
  EXPECT_NE(error.find("1bad"), std::string::npos) << error;
  EXPECT_NE(error.find("lonely"), std::string::npos) << error;
  EXPECT_NE(error.find("1.5.2"), std::string::npos) << error;
}

TEST(MetricLine, StepMustBeAnInteger) {
  std::string error;
  const auto ok = parse_metric_line("h5tune: step=4.0 loss=1", &error);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->step, 4);
  EXPECT_EQ(error, "");

  // A report whose step is unreadable must not pass for final metrics.
  const auto bad = parse_metric_line("h5tune: step=2.5 loss=1", &error);
  ASSERT_TRUE(bad.has_value());
  EXPECT_FALSE(bad->step.has_value());
  EXPECT_TRUE(bad->metrics.empty());
  EXPECT_NE(error.find("step"), std::string::npos) << error;
}

TEST(MetricLine, LaterDuplicateWins) {
  const auto line = parse_metric_line("h5tune: loss=1 acc=2 loss=3");
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->metrics, (Metrics{{"loss", 3.0}, {"acc", 2.0}}));
}

TEST(MetricLine, OtherLinesAreNotProtocolLines) {
  EXPECT_FALSE(parse_metric_line("epoch 3 loss=0.4").has_value());
  EXPECT_FALSE(parse_metric_line("H5TUNE: loss=1").has_value());
  EXPECT_FALSE(parse_metric_line("xh5tune: loss=1").has_value());
  EXPECT_FALSE(parse_metric_line("").has_value());
  const auto empty = parse_metric_line("h5tune:");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->metrics.empty());
  EXPECT_FALSE(empty->step.has_value());
}

TEST(MetricLine, ErrorIsClearedOnEachCall) {
  std::string error = "stale";
  EXPECT_TRUE(parse_metric_line("h5tune: a=1", &error).has_value());
  EXPECT_EQ(error, "");
}

TEST(MetricLine, HugeLineIsNotAProtocolLine) {
  std::string line = "h5tune: loss=1 pad=";
  line.append(100 * 1024, '7');
  std::string error;
  EXPECT_FALSE(parse_metric_line(line, &error).has_value());
  EXPECT_NE(error.find("64 KiB"), std::string::npos) << error;

  std::string long_but_fine = "h5tune: loss=2";
  long_but_fine.append(60 * 1024, ' ');
  const auto parsed = parse_metric_line(long_but_fine);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->metrics, (Metrics{{"loss", 2.0}}));
}

TEST(MetricLine, GarbageNeverThrows) {
  std::string garbage = "h5tune: ";
  for (int i = 0; i < 2000; ++i) garbage += static_cast<char>((i * 37) % 256);
  std::string error;
  EXPECT_NO_THROW(parse_metric_line(garbage, &error));
  EXPECT_NO_THROW(parse_metric_line(std::string_view("h5tune: a=\0x", 12), &error));
}

}  // namespace
}  // namespace h5tune
