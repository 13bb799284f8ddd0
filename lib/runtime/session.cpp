#include "runtime/session.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/version.hpp"
#include "runtime/failure_policy.hpp"
#include "runtime/inprocess_transport.hpp"
#include "runtime/manager.hpp"
#include "runtime/pid_file.hpp"
#include "runtime/resume.hpp"

namespace h5tune::runtime {

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

namespace {
std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::atomic<bool> stop_flag{false};
extern "C" void on_stop_signal(int) { stop_flag.store(true); }

/// max_failures is the study's limit: a study it stopped stays stopped until the limit is
/// raised, rather than failing as many trials again in every resumed run.
void refuse_stopped_study(const StudyConfig& study, const ResumePlan& plan) {
  FailurePolicy failures(study);
  failures.count_earlier(plan.kept, plan.kept_failed);
  if (const auto why = failures.limit_reached(RunSummary{}))
    throw InputError(fmt::format("{}: not resumed: {}; the limit counts the failed trials of all runs of the study, "
                                 "so raise [study] max_failures to continue it",
                                 study.log.string(), *why));
}
}  // namespace

LogHeader make_log_header(const StudyConfig& study, std::vector<std::string> hostnames) {
  LogHeader header;
  header.h5tune_version = std::string(version());
  header.git_sha = std::string(git_sha());
  header.study_name = study.name;
  header.study_text = study.source_text;
  header.study_path = study.source_path.string();
  header.seed = study.seed;
  header.strategy = study.strategy.kind;
  header.direction = std::string(to_string(study.direction));
  header.metric = study.metric;
  header.max_trials = study.max_trials;
  header.enqueued = static_cast<std::int64_t>(study.enqueued.size());
  header.mpi_size = static_cast<int>(hostnames.size());
  header.hostnames = std::move(hostnames);
  header.slurm_job_id = env_or_empty("SLURM_JOB_ID");
  header.created = utc_now_iso();
  header.space = study.space;
  return header;
}

RunSummary run_manager(const StudyConfig& study, Transport& transport, const RunOptions& options,
                       std::vector<std::string> hostnames, const std::atomic<bool>* stop_requested,
                       const TimeSource* time) {
  std::optional<LogWriter> log;
  std::unique_ptr<Strategy> strategy;
  try {
    // The callers installed the stop handlers: a SIGTERM from now on stops the run cleanly.
    const PidFile pid_file(options.pid_file);
    strategy = initial_strategy(study);
    // --resume without a log starts afresh: a requeued batch job's first run does that.
    std::optional<ResumePlan> plan;
    std::error_code ec;
    if (options.resume && std::filesystem::exists(study.log, ec)) {
      plan = plan_resume(LogReader(study.log), study, *strategy, transport.size() - 1);  // reader closed here
      refuse_stopped_study(study, *plan);
      log.emplace(LogWriter::reopen(study.log, study.max_trials));
    } else {
      log.emplace(study.log, make_log_header(study, std::move(hostnames)), options.overwrite);
    }
    Manager manager(study, transport, *log, *strategy, options, stop_requested, time);
    if (plan) manager.resume(std::move(*plan));
    RunSummary summary = manager.run();
    log->close();
    return summary;
  } catch (...) {
    // Whatever failed, no worker may be left waiting for work that never comes.
    Encoder encoder;
    for (int rank = 1; rank < transport.size(); ++rank) transport.send(rank, Tag::stop, encoder.encode(StopMsg{}));
    throw;
  }
}

WorkerSummary run_worker(const StudyConfig& study, Transport& transport, Objective& objective) {
  Worker worker(study, transport, objective, host_name());
  return worker.run();
}

RunSummary run_in_process(const StudyConfig& study, Objective& objective, const RunOptions& options, int workers,
                          const std::atomic<bool>* stop_requested) {
  InProcessHub hub(workers + 1);
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(workers));
  for (int rank = 1; rank <= workers; ++rank) {
    threads.emplace_back([&, rank] {
      try {
        auto transport = hub.endpoint(rank);
        run_worker(study, *transport, objective);
      } catch (...) {
        failures[static_cast<std::size_t>(rank - 1)] = std::current_exception();
      }
    });
  }
  RunSummary summary;
  std::exception_ptr manager_failure;
  try {
    auto transport = hub.endpoint(0);
    summary = run_manager(study, *transport, options, std::vector<std::string>(1, host_name()), stop_requested);
  } catch (...) {
    manager_failure = std::current_exception();
  }
  for (auto& thread : threads) thread.join();
  if (manager_failure) std::rethrow_exception(manager_failure);
  for (auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
  return summary;
}

const std::atomic<bool>* install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  return &stop_flag;
}

}  // namespace h5tune::runtime
