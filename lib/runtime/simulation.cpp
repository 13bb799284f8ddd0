#include "h5tune/simulation.hpp"

#include <unistd.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "runtime/clock.hpp"
#include "runtime/session.hpp"
#include "runtime/simulated_workers.hpp"
#include "runtime/virtual_transport.hpp"

namespace h5tune {
namespace {

constexpr double max_median_seconds = 365.0 * 24 * 3600;
constexpr double max_sigma = 5.0;

void check_options(const SimulationOptions& options) {
  if (options.workers < 1)
    throw InputError(fmt::format("simulate: the number of workers must be at least 1, got {}", options.workers));
  if (options.trials && *options.trials < 1)
    throw InputError(fmt::format("simulate: the number of trials must be at least 1, got {}", *options.trials));
  // Bounded so that every drawn duration, 8 sigma out included, stays a finite number of
  // seconds the virtual clock can add up.
  if (!(options.duration_median_seconds > 0) || !(options.duration_median_seconds <= max_median_seconds))
    throw InputError(fmt::format("simulate: the median trial duration must be in (0, {:g}] s (a year), got {} s",
                                 max_median_seconds, options.duration_median_seconds));
  if (!(options.duration_sigma >= 0) || !(options.duration_sigma <= max_sigma))
    throw InputError(fmt::format("simulate: the duration sigma must be in [0, {:g}], got {}", max_sigma,
                                 options.duration_sigma));
  if (!(options.message_seconds >= 0) || !std::isfinite(options.message_seconds))
    throw InputError(fmt::format("simulate: the message cost must be at least 0, got {} s", options.message_seconds));
}

// A log nobody asked to keep: written like any other (its cost is rank 0's), then removed.
class ScratchLog {
 public:
  ScratchLog()
      : path_(std::filesystem::temp_directory_path() /
              fmt::format("h5tune-simulate-{}-{}.h5", getpid(), static_cast<long long>(runtime::steady_now() * 1e9))) {}
  ~ScratchLog() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  ScratchLog(const ScratchLog&) = delete;
  ScratchLog& operator=(const ScratchLog&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

SimulationReport simulate_study(const StudyConfig& study_in, const SimulationOptions& options) {
  check_options(options);
  StudyConfig study = study_in;
  if (options.seed) study.seed = *options.seed;
  study.max_trials = options.trials ? *options.trials : 20 * static_cast<std::int64_t>(options.workers);
  std::optional<ScratchLog> scratch;
  if (options.log) {
    study.log = *options.log;
  } else {
    scratch.emplace();
    study.log = scratch->path();
  }

  runtime::SimulatedWorkers workers(options.workers, study.space, study.metric, study.direction,
                                    runtime::DurationModel{options.duration_median_seconds, options.duration_sigma});
  runtime::ComputeClock compute = options.compute_clock;
  if (!compute) compute = options.charge_wall_time ? runtime::ComputeClock(&runtime::steady_now)
                                                   : runtime::ComputeClock(&runtime::thread_cpu_seconds);
  const double started = runtime::steady_now();
  runtime::VirtualTransport transport(workers, std::move(compute), options.message_seconds, runtime::unix_now());

  RunOptions run;
  run.overwrite = options.overwrite;
  run.verbosity = options.verbosity;
  run.out = options.out;
  run.profile = true;
  // The virtual clock jumps to the next message, and a stop request is seen at the next
  // one: no need to wake in between. Waking every 0.25 virtual seconds cost real time in
  // proportion to the trials' simulated length (hours for year-long ones).
  run.idle_wake_seconds = std::numeric_limits<double>::infinity();
  // One host name per rank, as an MPI run of this size would log.
  std::vector<std::string> hostnames(static_cast<std::size_t>(options.workers) + 1, "simulated");
  hostnames[0] = runtime::host_name();
  const std::atomic<bool>* stop = options.stop_on_signal ? runtime::install_stop_handlers() : nullptr;
  const RunSummary summary = runtime::run_manager(study, transport, run, std::move(hostnames), stop, &transport);

  SimulationReport report;
  report.workers = options.workers;
  report.trials = summary.trials;
  report.complete = summary.complete;
  report.makespan_seconds = transport.makespan();
  const runtime::WorkerAccounts accounts = workers.accounts(report.makespan_seconds);
  report.busy_seconds = accounts.busy_seconds;
  report.waiting_seconds = accounts.waiting_seconds;
  report.drain_seconds = accounts.drain_seconds;
  report.rank0_busy_seconds = transport.rank0_busy_seconds();
  report.messages = transport.messages();
  report.real_seconds = runtime::steady_now() - started;
  report.stopped_by_signal = summary.stopped_by_signal;
  if (summary.profile) report.profile = *summary.profile;
  report.best = summary.best;
  if (options.log) report.log = *options.log;
  return report;
}

}  // namespace h5tune
