// Duration strings of study files ("90s", "1h30m", ...), read by lib/config/duration.
#include <gtest/gtest.h>

#include "config/duration.hpp"

namespace {

using h5tune::config::parse_duration_seconds;

TEST(ConfigDuration, ReadsEachUnit) {
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("90s"), 90.0);
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("10m"), 600.0);
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("2h"), 7200.0);
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("1d"), 86400.0);
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("250ms"), 0.25);
}

TEST(ConfigDuration, AddsParts) {
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("1h30m"), 5400.0);
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("1h 30m 15s"), 5415.0);
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("1m500ms"), 60.5);
}

TEST(ConfigDuration, ReadsFractions) {
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("1.5h"), 5400.0);
  EXPECT_DOUBLE_EQ(*parse_duration_seconds("0.5s"), 0.5);
}

TEST(ConfigDuration, RejectsWhatIsNotADuration) {
  for (const char* text : {"", " ", "10 minutes", "10", "s", "1.2.3s", "-5s", "5x", "1h30", "ten s", "5 s"}) {
    EXPECT_FALSE(parse_duration_seconds(text).has_value()) << "'" << text << "'";
  }
}

}  // namespace
