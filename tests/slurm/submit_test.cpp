// `h5tune submit` against a real single-node Slurm: a study runs to completion as a job; the
// time-limit warning (sent by hand, and sent by Slurm itself before a real time limit)
// interrupts the running trials and requeues the job, whose next run resumes the log to the
// end with every trial once; bad input submits nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "h5tune/log.hpp"
#include "slurm/slurm_support.hpp"

namespace h5tune::test {
namespace {

// study_text() under its own study name, so each test's job has its own name in the queue.
std::string named_study(const std::string& name, int max_trials, double pause) {
  std::string text = study_text(max_trials, "random", pause);
  const std::string from = "name = \"e2e\"";
  text.replace(text.find(from), from.size(), "name = \"" + name + "\"");
  return text;
}

bool is_final(const std::string& state) {
  return state == "COMPLETED" || state == "FAILED" || state == "CANCELLED" || state == "TIMEOUT" ||
         state == "NODE_FAIL" || state == "OUT_OF_MEMORY";
}

std::vector<std::string> submit_args(const std::string& study) {
  return {cli, "submit", study, "--nodes", "1", "--ntasks-per-node", "2", "--time", "00:05:00"};
}

/// A job `h5tune submit` queued: its id (empty when submitting failed) and its Slurm output
/// file beside the study file.
struct SubmittedJob {
  std::string id;
  std::filesystem::path output_file;
  std::string submit_output;
};

SubmittedJob submit(const std::vector<std::string>& args, const TempDir& dir) {
  const auto submitted = run_process(args);
  EXPECT_EQ(submitted.exit_code, 0) << submitted.output;
  const std::string id = submitted_job_id(submitted.output);
  return {id, dir / ("study-" + id + ".out"), submitted.output};
}

TEST(SlurmSubmit, RunsTheStudyAsAJobToCompletion) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", named_study("complete", 6, 0.0));
  const auto [job, output_file, submit_output] = submit(submit_args(study), dir);
  ASSERT_FALSE(job.empty()) << submit_output;
  EXPECT_TRUE(std::filesystem::exists(dir / "study.sbatch"));
  EXPECT_NE(submit_output.find(output_file.string()), std::string::npos) << submit_output;

  std::string state;
  ASSERT_TRUE(poll_until([&] { return is_final(state = job_field(job, "JobState")); }, 90))
      << "job " << job << " is still " << state;
  EXPECT_EQ(state, "COMPLETED") << read_file(output_file);
  EXPECT_NE(read_file(output_file).find("the study is finished"), std::string::npos) << read_file(output_file);

  LogReader log(dir / "run.h5");
  EXPECT_EQ(log.header().mpi_size, 2);
  EXPECT_EQ(log.header().slurm_job_id, job);
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 6u);
  for (const auto& t : trials) EXPECT_EQ(t.state, TrialState::complete) << t.message;
}

/// True once the log holds a trial in `state` (false while the log does not exist yet).
bool log_has(const std::filesystem::path& log, TrialState state) {
  try {
    for (const auto& t : LogReader(log).trials())
      if (t.state == state) return true;
  } catch (const std::exception&) {
    // not created yet
  }
  return false;
}

TEST(SlurmSubmit, WarningSignalRequeuesTheJobWhichResumesToTheEnd) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", named_study("requeue", 4, 3.0));
  const auto [job, output_file, submit_output] = submit(submit_args(study), dir);
  ASSERT_FALSE(job.empty()) << submit_output;

  // One worker: wait until its first (3-second) trial runs.
  ASSERT_TRUE(poll_until([&] { return log_has(dir / "run.h5", TrialState::running); }, 60)) << read_file(output_file);
  // What Slurm sends before the time limit (--signal=B:USR1@...): USR1 to the batch script.
  const auto signalled = run_process({"scancel", "--signal=USR1", "--batch", job});
  ASSERT_EQ(signalled.exit_code, 0) << signalled.output;

  std::string state;
  ASSERT_TRUE(poll_until([&] { return job_field(job, "Restarts") == "1"; }, 60)) << read_file(output_file);
  ASSERT_TRUE(poll_until([&] { return is_final(state = job_field(job, "JobState")); }, 120))
      << "job " << job << " is still " << state << "\n" << read_file(output_file);
  const std::string output = read_file(output_file);
  EXPECT_EQ(state, "COMPLETED") << output;
  EXPECT_NE(output.find("requeueing (1 of 3)"), std::string::npos) << output;
  EXPECT_NE(output.find("the study is finished"), std::string::npos) << output;

  // Every trial once, complete; the one the signal interrupted ran again with the same id.
  LogReader log(dir / "run.h5");
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 4u);
  int reruns = 0;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    EXPECT_EQ(trials[i].id, static_cast<std::int64_t>(i));
    EXPECT_EQ(trials[i].state, TrialState::complete) << trials[i].message;
    reruns += trials[i].attempt;
  }
  EXPECT_EQ(reruns, 1);
  int runs = 0;
  for (const auto& e : log.events()) runs += e.kind == EventKind::run_start;
  EXPECT_EQ(runs, 2);
}

// The warning can come while srun is still starting the step (Slurm checks signal times
// once a minute): the script then waits until rank 0 handles SIGTERM before it stops it, so
// the run still ends with exit code 3 and the job is requeued rather than failed.
TEST(SlurmSubmit, WarningWhileTheStepStartsStillRequeuesTheJob) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", named_study("earlywarning", 20, 2.0));
  const auto [job, output_file, submit_output] = submit(submit_args(study), dir);
  ASSERT_FALSE(job.empty()) << submit_output;

  // The script prints its start line just before it launches the step.
  ASSERT_TRUE(poll_until([&] { return read_file(output_file).find(": start ") != std::string::npos; }, 60));
  const auto signalled = run_process({"scancel", "--signal=USR1", "--batch", job});
  ASSERT_EQ(signalled.exit_code, 0) << signalled.output;

  const bool requeued = poll_until([&] { return job_field(job, "Restarts") == "1"; }, 60);
  const std::string output = read_file(output_file);
  run_process({"scancel", job});
  EXPECT_TRUE(requeued) << output;
  EXPECT_NE(output.find("time limit near, stopping the run"), std::string::npos) << output;
  EXPECT_NE(output.find("requeueing (1 of 3)"), std::string::npos) << output;
  EXPECT_EQ(output.find("failed with exit code"), std::string::npos) << output;
}

TEST(SlurmSubmit, ARealTimeLimitWarnsAndRequeuesTheJobByItself) {
  TempDir dir;
  // 40 s of work in a one-minute job warned 45 s before its end: Slurm (not the test) sends
  // the warning, up to a minute early by its own resolution.
  const auto study = write_file(dir / "study.toml", named_study("timelimit", 20, 2.0));
  auto args = submit_args(study);
  args[args.size() - 1] = "00:01:00";
  args.insert(args.end(), {"--warning", "45"});
  const auto [job, output_file, submit_output] = submit(args, dir);
  ASSERT_FALSE(job.empty()) << submit_output;

  ASSERT_TRUE(poll_until([&] { return job_field(job, "Restarts") == "1"; }, 150)) << read_file(output_file);
  const std::string output = read_file(output_file);
  run_process({"scancel", job});
  EXPECT_NE(output.find("time limit near, stopping the run"), std::string::npos) << output;
  EXPECT_NE(output.find("requeueing (1 of 3)"), std::string::npos) << output;
  // The first run stopped before the end of the study, and every trial it had started and
  // not finished is interrupted (or, if the resumed run already started, running again as
  // attempt 1). Slurm's warning may come before the first trial starts: then there is none.
  LogReader log(dir / "run.h5");
  const auto events = log.events();
  const auto first_stop =
      std::find_if(events.begin(), events.end(), [](const Event& e) { return e.kind == EventKind::run_stop; });
  ASSERT_NE(first_stop, events.end()) << output;
  std::set<std::int64_t> started, told;
  for (auto e = events.begin(); e != first_stop; ++e) {
    if (e->kind == EventKind::start) started.insert(e->trial);
    if (e->kind == EventKind::tell) told.insert(e->trial);
  }
  EXPECT_LT(told.size(), 20u) << output;
  for (const auto& t : log.trials()) {
    if (started.count(t.id) > 0 && told.count(t.id) == 0) {
      EXPECT_TRUE(t.state == TrialState::interrupted || t.attempt > 0) << "trial " << t.id << "\n" << output;
    }
  }
}

TEST(SlurmSubmit, DryRunPrintsTheScriptAndSubmitsNothing) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", named_study("dryrun", 4, 0.0));
  const auto printed = run_process({cli, "submit", study, "--nodes", "2", "--ntasks-per-node", "3", "--time",
                                    "01:00:00", "--partition", "debug", "--gpus-per-task", "1", "--max-requeues", "5",
                                    "--dry-run"});
  ASSERT_EQ(printed.exit_code, 0) << printed.output;
  for (const std::string line :
       {"#SBATCH --job-name=h5tune-dryrun\n", "#SBATCH --nodes=2\n", "#SBATCH --ntasks-per-node=3\n", "#SBATCH --ntasks=6\n",
        "#SBATCH --time=01:00:00\n", "#SBATCH --partition=debug\n", "#SBATCH --gpus-per-task=1\n",
        "#SBATCH --requeue\n", "#SBATCH --open-mode=append\n",
        // 10 % of an hour
        "#SBATCH --signal=B:USR1@360\n", "max_requeues=5\n", "srun --mpi=pmix "})
    EXPECT_NE(printed.output.find(line), std::string::npos) << line << " missing in\n" << printed.output;
  EXPECT_NE(printed.output.find("study='" + study + "'"), std::string::npos) << printed.output;
  EXPECT_NE(printed.output.find("#SBATCH --output=" + (dir / "study-%j.out").string()), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "study.sbatch"));
  EXPECT_EQ(queued_jobs_named("h5tune-dryrun"), "");
}

TEST(SlurmSubmit, BadInputExits2AndSubmitsNothing) {
  TempDir dir;
  const auto bad = write_file(dir / "bad.toml", named_study("badinput", 4, 0.0) + "\nunknown_key = 1\n");
  const auto refused = run_process(submit_args(bad));
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("bad.toml"), std::string::npos) << refused.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.sbatch"));

  const auto good = write_file(dir / "good.toml", named_study("badinput", 4, 0.0));
  auto bad_time = submit_args(good);
  bad_time.back() = "5 minutes";
  const auto refused_time = run_process(bad_time);
  EXPECT_EQ(refused_time.exit_code, 2) << refused_time.output;
  EXPECT_NE(refused_time.output.find("--time"), std::string::npos) << refused_time.output;

  write_file(dir / "run.h5", "an earlier log");
  const auto refused_log = run_process(submit_args(good));
  EXPECT_EQ(refused_log.exit_code, 2) << refused_log.output;
  EXPECT_NE(refused_log.output.find("--resume"), std::string::npos) << refused_log.output;

  EXPECT_FALSE(std::filesystem::exists(dir / "good.sbatch"));
  EXPECT_EQ(queued_jobs_named("h5tune-badinput"), "");
}

}  // namespace
}  // namespace h5tune::test
