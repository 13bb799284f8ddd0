// `h5tune <command> --help` names the default of every option that has one and is not a
// flag, as README and docs/analysis.md give them.
#include <regex>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"

namespace h5tune::test {
namespace {

struct HelpDefault {
  const char* command;
  const char* option;
  const char* says;  ///< in the option's help text
};

void PrintTo(const HelpDefault& row, std::ostream* out) { *out << row.command << ' ' << row.option; }

class CliHelp : public ::testing::TestWithParam<HelpDefault> {};

TEST_P(CliHelp, StatesTheDefault) {
  const auto& row = GetParam();
  const auto help = run_process({cli, row.command, "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.output;
  // The option's entry starts a line ("  -k,--top INT ...") and runs to the next option.
  std::smatch entry;
  ASSERT_TRUE(std::regex_search(help.output, entry, std::regex(std::string("\n  (-\\w,)?") + row.option + "[ \n]")))
      << help.output;
  const auto at = static_cast<std::size_t>(entry.position(0)) + 1;
  const auto end = help.output.find("\n  -", at);
  EXPECT_NE(help.output.substr(at, end - at).find(row.says), std::string::npos) << help.output;
}

INSTANTIATE_TEST_SUITE_P(Options, CliHelp,
                         ::testing::Values(HelpDefault{"show", "--top", "(default 5)"},
                                           HelpDefault{"show", "--interval", "(default 2)"},
                                           HelpDefault{"report", "--top", "(default 10)"},
                                           HelpDefault{"export", "--format", "(default csv)"},
                                           HelpDefault{"simulate", "--charge", "the default"}),
                         [](const auto& param_info) { return std::string(param_info.param.command) + "_" + (param_info.param.option + 2); });

}  // namespace
}  // namespace h5tune::test
