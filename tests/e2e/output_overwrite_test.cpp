// `h5tune export -o` and `report -o` do not overwrite an HDF5 file (another study's log)
// unless --force is given, as `run` and `simulate --log` protect an existing log.
#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"

namespace h5tune::test {
namespace {

namespace fs = std::filesystem;

/// Two finished studies' logs, a/run.h5 and b/run.h5.
class CliOutputOverLog : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a", "b"}) {
      fs::create_directory(dir_ / name);
      const auto study = write_file(dir_ / name / "study.toml", study_text(3));
      ASSERT_EQ(run_process({cli, "run", study, "-q"}).exit_code, 0);
    }
  }
  fs::path log(const char* name) const { return dir_ / name / "run.h5"; }
  TempDir dir_;
};

TEST_F(CliOutputOverLog, ExportRefusesAnotherLogWithoutForce) {
  const std::string other = read_file(log("b"));
  const auto refused = run_process({cli, "export", log("a").string(), "-o", log("b").string()});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find(log("b").string() + ": that is an HDF5 file"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("--force"), std::string::npos) << refused.output;
  EXPECT_EQ(read_file(log("b")), other) << "the other study's log is untouched";

  const auto forced = run_process({cli, "export", log("a").string(), "-o", log("b").string(), "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_EQ(read_file(log("b")).rfind("id,state,", 0), 0U) << "replaced by the CSV";
}

TEST_F(CliOutputOverLog, ReportRefusesAnotherLogWithoutForce) {
  const std::string other = read_file(log("b"));
  const auto refused = run_process({cli, "report", log("a").string(), "-o", log("b").string()});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("the report would overwrite it"), std::string::npos) << refused.output;
  EXPECT_EQ(read_file(log("b")), other);

  const auto forced = run_process({cli, "report", log("a").string(), "-o", log("b").string(), "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_NE(read_file(log("b")).find("<!DOCTYPE html>"), std::string::npos);
}

TEST_F(CliOutputOverLog, OtherFilesAreOverwrittenAsBefore) {
  // An earlier export or report is no HDF5 file: writing it again needs no --force.
  const auto csv = write_file(dir_ / "out.csv", "old export\n");
  EXPECT_EQ(run_process({cli, "export", log("a").string(), "-o", csv}).exit_code, 0);
  EXPECT_NE(read_file(csv), "old export\n");
  const auto html = write_file(dir_ / "out.html", "old report\n");
  EXPECT_EQ(run_process({cli, "report", log("a").string(), "-o", html}).exit_code, 0);
  EXPECT_NE(read_file(html), "old report\n");
  // The signature after a 512-byte user block counts too (the HDF5 format allows one).
  const auto with_user_block = write_file(dir_ / "ub.h5", std::string(512, ' ') + "\x89HDF\r\n\x1a\n rest");
  EXPECT_EQ(run_process({cli, "export", log("a").string(), "-o", with_user_block}).exit_code, 2);
}

}  // namespace
}  // namespace h5tune::test
