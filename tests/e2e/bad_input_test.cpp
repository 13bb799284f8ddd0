// Bad input to the CLI: one clear error, exit code 2, and no log written or changed.
#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"

namespace h5tune::test {
namespace {

struct BadStudy {
  const char* name;
  std::string from;         ///< text of the valid study to replace
  std::string to;           ///< replacement
  std::string expect;       ///< substring of the error
};

void PrintTo(const BadStudy& bad, std::ostream* out) { *out << bad.name; }

class CliBadStudy : public ::testing::TestWithParam<BadStudy> {};

TEST_P(CliBadStudy, ExitsWithCode2AndWritesNoLog) {
  const auto& bad = GetParam();
  TempDir dir;
  std::string text = study_text(5);
  const auto at = text.find(bad.from);
  ASSERT_NE(at, std::string::npos) << bad.from;
  text.replace(at, bad.from.size(), bad.to);
  const auto study = write_file(dir / "study.toml", text);
  const auto run = run_process({cli, "run", study});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find(bad.expect), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("study.toml:"), std::string::npos) << "names the file and line: " << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "run.h5"));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CliBadStudy,
    ::testing::Values(BadStudy{"syntax", "max_trials = 5", "max_trials = = 5", "study.toml:"},
                      BadStudy{"unknown_key", "seed = 11", "sed = 11", "sed"},
                      BadStudy{"wrong_type", "max_trials = 5", "max_trials = \"five\"", "max_trials"},
                      BadStudy{"low_ge_high", "float = [-4.0, 4.0]", "float = [4.0, -4.0]", "x"},
                      BadStudy{"log_through_zero", "float = [-4.0, 4.0] }", "float = [0.0, 4.0], log = true }", "x"},
                      BadStudy{"empty_choices", "choice = [\"relu\", \"tanh\"]", "choice = []", "act"},
                      BadStudy{"missing_placeholder", "\"{act}\"", "\"{activation}\"", "activation"},
                      BadStudy{"command_not_found", "[\"sh\",", "[\"no-such-program-h5tune\",", "no-such-program-h5tune"},
                      BadStudy{"unknown_strategy", "kind = \"random\"", "kind = \"randm\"", "randm"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(CliBadInput, ExistingLogNeedsForceAndIsNotTouched) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(3));
  ASSERT_EQ(run_process({cli, "run", study, "-q"}).exit_code, 0);
  const auto before = read_file(dir / "run.h5");
  const auto again = run_process({cli, "run", study, "-q"});
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
  EXPECT_EQ(read_file(dir / "run.h5"), before);
  EXPECT_EQ(run_process({cli, "run", study, "-q", "--force"}).exit_code, 0);
}

TEST(CliBadInput, ExistingLogUnderMpiexecExitsWithCode2) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(3));
  ASSERT_EQ(run_process({cli, "run", study, "-q"}).exit_code, 0);
  const auto before = read_file(dir / "run.h5");
  const auto again = run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run", study, "-q"}, mpi_env);
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_EQ(read_file(dir / "run.h5"), before);
}

TEST(CliBadInput, ABadWorkdirUnderMpiexecIsRefusedByEveryRankAtOnce) {
  TempDir dir;
  std::string text = study_text(3);
  text.replace(text.find("timeout = \"20s\""), 15, "timeout = \"20s\"\nworkdir = \"study.toml/trials\"");
  const auto study = write_file(dir / "study.toml", text);
  const auto run = run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run", study, "-q"}, mpi_env);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("key 'objective.workdir'"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("rank 0 refused"), std::string::npos) << "only rank 0 speaks: " << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "run.h5"));
}

TEST(CliBadInput, MissingStudyFileAndBadArguments) {
  TempDir dir;
  auto missing = run_process({cli, "run", (dir / "nope.toml").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("nope.toml"), std::string::npos) << missing.output;
  auto no_command = run_process({cli});
  EXPECT_EQ(no_command.exit_code, 2) << no_command.output;
  auto bad_flag = run_process({cli, "run", "--frobnicate", "x.toml"});
  EXPECT_EQ(bad_flag.exit_code, 2) << bad_flag.output;
  auto bad_format = run_process({cli, "export", "x.h5", "--format", "xml"});
  EXPECT_EQ(bad_format.exit_code, 2) << bad_format.output;
}

TEST(CliBadInput, ShowAndExportRefuseFilesThatAreNotLogs) {
  TempDir dir;
  const auto junk = write_file(dir / "junk.h5", std::string(5000, 'j'));
  for (const char* command : {"show", "export"}) {
    const auto result = run_process({cli, command, junk});
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find("junk.h5"), std::string::npos) << result.output;
  }
  const auto missing = run_process({cli, "show", (dir / "missing.h5").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

}  // namespace
}  // namespace h5tune::test
