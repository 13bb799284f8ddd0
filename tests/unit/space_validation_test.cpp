#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "h5tune/error.hpp"
#include "h5tune/space.hpp"
#include "support/space_error.hpp"

namespace h5tune {
namespace {

TEST(SpaceValidation, BuildsParametersInOrder) {
  Space s;
  s.add_float("lr", 1e-5, 1e-1, true).add_int("layers", 1, 4).add_choice("act", {"relu", "tanh"});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].kind, ParamKind::real);
  EXPECT_TRUE(s[0].log);
  EXPECT_EQ(s[1].kind, ParamKind::integer);
  EXPECT_EQ(s[1].low, 1.0);
  EXPECT_EQ(s[1].high, 4.0);
  EXPECT_EQ(s[2].kind, ParamKind::categorical);
  EXPECT_EQ(s.index_of("layers"), 1u);
  EXPECT_FALSE(s.index_of("nope").has_value());
  EXPECT_EQ(s[0].cardinality(), 0u);
  EXPECT_EQ(s[1].cardinality(), 4u);
  EXPECT_EQ(s[2].cardinality(), 2u);
  EXPECT_EQ(to_string(ParamKind::real), "float");
  EXPECT_EQ(to_string(ParamKind::integer), "int");
  EXPECT_EQ(to_string(ParamKind::categorical), "choice");
}

TEST(SpaceValidation, ErrorTextsNameTheParameter) {
  Space s;
  s.add_float("lr", 0.0, 1.0);
  EXPECT_EQ(test::space_error_of([&] { s.add_float("lr", 0.0, 1.0); }),
            "parameter 'lr': is defined more than once");
  EXPECT_EQ(test::space_error_of([&] { s.add_int("lr", 0, 1); }), "parameter 'lr': is defined more than once");
  EXPECT_EQ(test::space_error_of([&] { s.add_float("", 0.0, 1.0); }), "a parameter name must not be empty");
  EXPECT_EQ(test::space_error_of([&] { s.add_float("a/b", 0.0, 1.0); }),
            "parameter 'a/b': the name may not contain '/', '{', '}', spaces or control characters");
  EXPECT_EQ(test::space_error_of([&] { s.add_float("a b", 0.0, 1.0); }),
            "parameter 'a b': the name may not contain '/', '{', '}', spaces or control characters");
  EXPECT_EQ(test::space_error_of([&] { s.add_float("x", 1.0, 1.0); }),
            "parameter 'x': low must be less than high, got [1, 1]");
  EXPECT_EQ(test::space_error_of([&] { s.add_float("x", 2.0, 1.0); }),
            "parameter 'x': low must be less than high, got [2, 1]");
  EXPECT_EQ(test::space_error_of([&] { s.add_int("n", 3, 3); }),
            "parameter 'n': low must be less than high, got [3, 3]");
  EXPECT_EQ(test::space_error_of([&] { s.add_float("x", -INFINITY, 1.0); }),
            "parameter 'x': bounds must be finite, got [-inf, 1]");
  EXPECT_EQ(test::space_error_of([&] { s.add_float("x", 0.0, NAN); }),
            "parameter 'x': bounds must be finite, got [0, nan]");
  EXPECT_EQ(test::space_error_of([&] { s.add_float("x", -1e308, 1e308); }),
            "parameter 'x': range [-1e+308, 1e+308] is too wide: high - low overflows a double");
  EXPECT_EQ(test::space_error_of([&] { s.add_float("y", 0.0, 0.1, true); }),
            "parameter 'y': log-scaled range must be positive, got [0, 0.1]");
  EXPECT_EQ(test::space_error_of([&] { s.add_int("n", -1, 10, true); }),
            "parameter 'n': log-scaled range must be positive, got [-1, 10]");
  EXPECT_EQ(test::space_error_of([&] { s.add_int("n", 0, 1LL << 60); }),
            "parameter 'n': integer bounds must lie within +-2^53 (9007199254740992), got [0, "
            "1152921504606846976]");
  EXPECT_EQ(test::space_error_of([&] { s.add_choice("act", {}); }), "parameter 'act': needs at least one choice");
  EXPECT_EQ(test::space_error_of([&] { s.add_choice("act", {"relu", "tanh", "relu"}); }),
            "parameter 'act': choice 'relu' appears more than once");
  // Every failed add leaves the space as it was.
  EXPECT_EQ(s.size(), 1u);
}

TEST(SpaceValidation, ErrorsAreInputErrors) {
  Space s;
  EXPECT_THROW(s.add_float("x", 1.0, 0.0), InputError);
}

TEST(SpaceValidation, AcceptsEdgeCases) {
  Space s;
  EXPECT_NO_THROW(s.add_int("one_or_two", 1, 2, true));
  EXPECT_NO_THROW(s.add_choice("constant", {"only"}));
  EXPECT_NO_THROW(s.add_int("big", -(1LL << 53), 1LL << 53));
  EXPECT_NO_THROW(s.add_float("tiny", 1e-300, 2e-300, true));
}

}  // namespace
}  // namespace h5tune
