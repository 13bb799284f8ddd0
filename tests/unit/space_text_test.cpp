#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/space.hpp"
#include "support/space_error.hpp"

namespace h5tune {
namespace {

Space text_space() {
  Space s;
  s.add_float("lr", 1e-6, 10.0, true).add_int("n", -5, 100).add_choice("act", {"relu", "tanh"});
  return s;
}

TEST(SpaceText, RealsUseTheShortestRoundTripForm) {
  const Space s = text_space();
  EXPECT_EQ(s.format(0, 0.1), "0.1");
  EXPECT_EQ(s.format(0, 0.001), "0.001");
  EXPECT_EQ(s.format(0, 1e-5), "1e-05");
  EXPECT_EQ(s.format(0, 3.0), "3");
  EXPECT_EQ(s.format(0, 0.1 + 0.2), "0.30000000000000004");
}

TEST(SpaceText, RandomRealsRoundTripExactly) {
  const Space s = text_space();
  Rng rng(3);
  for (int k = 0; k < 10000; ++k) {
    const double v = s.from_unit(0, uniform01(rng));
    const std::string text = s.format(0, v);
    ASSERT_EQ(s.parse(0, text), v) << text;
    ASSERT_LE(text.size(), 24u);
  }
}

TEST(SpaceText, IntegersAndChoices) {
  const Space s = text_space();
  EXPECT_EQ(s.format(1, -5.0), "-5");
  EXPECT_EQ(s.format(1, 42.0), "42");
  EXPECT_EQ(s.parse(1, "42"), 42.0);
  EXPECT_EQ(s.parse(1, "+7"), 7.0);
  EXPECT_EQ(s.parse(1, " 8 "), 8.0);
  EXPECT_EQ(s.parse(1, "1e2"), 100.0);  // an integral value written as a real
  EXPECT_EQ(s.parse(1, "3.0"), 3.0);
  EXPECT_EQ(s.format(2, 1.0), "tanh");
  EXPECT_EQ(s.parse(2, "relu"), 0.0);
  EXPECT_EQ(s.parse(2, "tanh"), 1.0);
  for (int v = -5; v <= 100; ++v) EXPECT_EQ(s.parse(1, s.format(1, v)), v);
}

TEST(SpaceText, ParseErrorsNameTheParameter) {
  const Space s = text_space();
  EXPECT_EQ(test::space_error_of([&] { s.parse(0, "fast"); }), "parameter 'lr': 'fast' is not a number");
  EXPECT_EQ(test::space_error_of([&] { s.parse(0, "0.1x"); }), "parameter 'lr': '0.1x' is not a number");
  EXPECT_EQ(test::space_error_of([&] { s.parse(0, "nan"); }), "parameter 'lr': 'nan' is not a number");
  EXPECT_EQ(test::space_error_of([&] { s.parse(0, "20"); }),
            "parameter 'lr': '20' is not in the range [1e-06, 10]");
  EXPECT_EQ(test::space_error_of([&] { s.parse(1, "2.5"); }), "parameter 'n': '2.5' is not an integer");
  EXPECT_EQ(test::space_error_of([&] { s.parse(1, ""); }), "parameter 'n': '' is not an integer");
  EXPECT_EQ(test::space_error_of([&] { s.parse(1, "101"); }),
            "parameter 'n': '101' is not in the range [-5, 100]");
  EXPECT_EQ(test::space_error_of([&] { s.parse(2, "gelu"); }),
            "parameter 'act': 'gelu' is not one of the choices [relu, tanh]");
  EXPECT_EQ(test::space_error_of([&] { s.parse(2, " relu"); }),
            "parameter 'act': ' relu' is not one of the choices [relu, tanh]");
}

TEST(SpaceText, FormatRejectsValuesOfTheWrongKind) {
  const Space s = text_space();
  EXPECT_EQ(test::space_error_of([&] { s.format(1, 2.5); }), "parameter 'n': 2.5 is not an integer");
  EXPECT_EQ(test::space_error_of([&] { s.format(2, 2.0); }),
            "parameter 'act': 2 is not a choice index (0..1)");
  EXPECT_THROW(s.format(2, -1.0), SpaceError);
  EXPECT_THROW(s.format(2, NAN), SpaceError);
}

}  // namespace
}  // namespace h5tune
