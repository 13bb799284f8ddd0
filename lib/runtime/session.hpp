#pragma once
#include <atomic>
#include <string>
#include <vector>

#include "h5tune/log.hpp"
#include "h5tune/runtime.hpp"
#include "runtime/time_source.hpp"
#include "runtime/transport.hpp"
#include "runtime/worker.hpp"

namespace h5tune::runtime {

/// The log header of a study run on `hostnames` (one per rank).
LogHeader make_log_header(const StudyConfig& study, std::vector<std::string> hostnames);

/// This machine's host name.
std::string host_name();

/// Rank 0's part of a run: creates the log (refusing an existing one unless told to
/// overwrite) or, with options.resume, continues it (resume.hpp; no log: a fresh start),
/// builds the strategy and runs the Manager. If setting up fails, every worker
/// is sent a stop message before the error propagates, so no rank hangs. `time`: the
/// manager's clocks (default: the machine's; a simulation passes its virtual clock).
RunSummary run_manager(const StudyConfig& study, Transport& transport, const RunOptions& options,
                       std::vector<std::string> hostnames, const std::atomic<bool>* stop_requested,
                       const TimeSource* time = nullptr);

/// A worker rank's part of a run.
WorkerSummary run_worker(const StudyConfig& study, Transport& transport, Objective& objective);

/// A whole run inside this process: rank 0 on the calling thread and `workers` worker
/// threads over an InProcessHub. With workers = 1 this is `h5tune run` without mpiexec.
RunSummary run_in_process(const StudyConfig& study, Objective& objective, const RunOptions& options, int workers,
                          const std::atomic<bool>* stop_requested = nullptr);

/// Set by SIGINT/SIGTERM once install_stop_handlers() ran: the manager then stops handing
/// out trials, interrupts the running ones and closes the log.
const std::atomic<bool>* install_stop_handlers();

}  // namespace h5tune::runtime
