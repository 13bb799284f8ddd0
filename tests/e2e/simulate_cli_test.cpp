// h5tune simulate: the report a user planning a cluster job reads, and bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_support.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

TEST(CliSimulate, PrintsTheUtilizationReportFor64Workers) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(5, "tpe"));
  const auto run = run_process({cli, "simulate", study, "--workers", "64", "--duration-median", "1m",
                                "--duration-sigma", "0.3", "--log", (dir / "sim.h5").string()});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* field : {"64 workers, 1280 trials (1280 complete)", "median 60 s, sigma 0.3", "makespan",
                            "utilization", "waiting for rank 0", "no work left", "before the drain", "rank 0      busy",
                            "ask", "best        trial"})
    EXPECT_NE(run.output.find(field), std::string::npos) << field << " in\n" << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "run.h5")) << "the study's own log is left alone";
  LogReader log(dir / "sim.h5");
  EXPECT_EQ(log.trials().size(), 1280u);
  EXPECT_EQ(log.header().mpi_size, 65);
}

TEST(CliSimulate, PrintsJsonWhoseFiguresAddUp) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(5));
  const auto run = run_process({cli, "simulate", study, "-w", "64", "--trials", "300", "--seed", "3", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto report = nlohmann::json::parse(run.output);
  EXPECT_EQ(report["workers"], 64);
  EXPECT_EQ(report["trials"], 300);
  EXPECT_EQ(report["seed"], 3);
  EXPECT_EQ(report["strategy"], "random");
  EXPECT_TRUE(report["log"].is_null());
  const double sum = report["utilization"].get<double>() + report["waiting_fraction"].get<double>() +
                     report["drain_fraction"].get<double>();
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_GT(report["utilization"].get<double>(), 0.5);
  EXPECT_GT(report["rank0_busy_fraction"].get<double>(), 0.0);
  EXPECT_LT(report["rank0_busy_fraction"].get<double>(), 1.0);
  EXPECT_GT(report["makespan_seconds"].get<double>(), 100.0);
}

TEST(CliSimulate, BadInputExitsWithCode2) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(5));
  const auto zero = run_process({cli, "simulate", study, "--workers", "0"});
  EXPECT_EQ(zero.exit_code, 2) << zero.output;
  EXPECT_NE(zero.output.find("--workers"), std::string::npos) << zero.output;
  const auto missing = run_process({cli, "simulate", study});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("--workers"), std::string::npos) << missing.output;
  const auto median = run_process({cli, "simulate", study, "-w", "4", "--duration-median", "soon"});
  EXPECT_EQ(median.exit_code, 2) << median.output;
  EXPECT_NE(median.output.find("'soon' is not a duration"), std::string::npos) << median.output;
  const auto no_study = run_process({cli, "simulate", (dir / "none.toml").string(), "-w", "4"});
  EXPECT_EQ(no_study.exit_code, 2) << no_study.output;
}

TEST(CliSimulate, AnExistingLogNamesOnlyTheFlagsSimulateHas) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(5));
  const auto log = (dir / "sim.h5").string();
  ASSERT_EQ(run_process({cli, "simulate", study, "-w", "4", "--log", log}).exit_code, 0);
  const auto again = run_process({cli, "simulate", study, "-w", "4", "--log", log});
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("--log " + log + ": log exists; use --force to replace it"), std::string::npos)
      << again.output;
  EXPECT_EQ(again.output.find("--resume"), std::string::npos) << "simulate has no --resume:\n" << again.output;
  EXPECT_EQ(run_process({cli, "simulate", study, "-w", "4", "--log", log, "--force"}).exit_code, 0);
  // h5tune run has both.
  write_file(dir / "run.h5", read_file(log));
  const auto run = run_process({cli, "run", study});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("log exists; use --resume to continue it or --force to replace it"), std::string::npos)
      << run.output;
}

TEST(CliSimulate, NeedsNoObjectiveProgram) {
  TempDir dir;
  // The program lives on the cluster, not where the run is planned.
  std::string text = study_text(5);
  const auto at = text.find("command = [");
  text.replace(at, text.find('\n', at) - at, R"(command = ["train-on-the-cluster-h5tune-test", "{x}"])");
  const auto study = write_file(dir / "study.toml", text);
  const auto simulated = run_process({cli, "simulate", study, "-w", "4", "-n", "20"});
  EXPECT_EQ(simulated.exit_code, 0) << simulated.output;
  // h5tune run still refuses it before anything runs.
  const auto run = run_process({cli, "run", study});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("program 'train-on-the-cluster-h5tune-test' not found on PATH"), std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace h5tune::test
