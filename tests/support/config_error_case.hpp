#pragma once
// Table-driven tests of study-file errors: each case is a text, the line and key the
// ConfigError must point at, and a piece of its message.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "h5tune/config.hpp"
#include "h5tune/error.hpp"

namespace h5tune::test {

struct ConfigErrorCase {
  const char* name;
  const char* text;  ///< the study text, or the part of it a suite completes
  int line;          ///< 0: the whole file
  const char* key;   ///< ConfigError::key()
  const char* what;  ///< must appear in the message
  int column = 0;    ///< checked when non-zero
};

inline void PrintTo(const ConfigErrorCase& c, std::ostream* out) { *out << c.name; }

/// The case's name as the parameterized test's name.
inline std::string config_error_case_name(const ::testing::TestParamInfo<ConfigErrorCase>& info) {
  return info.param.name;
}

/// Parses `text` as file `file`; expects the ConfigError `c` describes.
inline void expect_config_error(const std::string& text, const ConfigErrorCase& c,
                                const std::string& file = "studies/bad.toml") {
  try {
    (void)parse_study(text, file);
    ADD_FAILURE() << "no ConfigError for:\n" << text;
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(c.what), std::string::npos) << "message: " << message << "\nwanted: " << c.what;
    EXPECT_EQ(e.file(), file);
    EXPECT_EQ(e.line(), c.line) << message;
    EXPECT_EQ(e.key(), c.key) << message;
    if (c.column != 0) {
      EXPECT_EQ(e.column(), c.column) << message;
    }
  }
}

}  // namespace h5tune::test
