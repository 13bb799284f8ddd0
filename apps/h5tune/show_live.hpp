#pragma once
// `h5tune show run.h5 --live`: the summary of a running study, redrawn until it finishes.
#include <functional>
#include <ostream>
#include <string>

#include "h5tune/log.hpp"

namespace h5tune::cli {

/// True when the log's last run has ended: its journal's latest run_start is followed by
/// a run_stop (docs/log-format.md). A run that was killed never gets there.
bool run_finished(const LogReader& log);

/// Re-opens the log every `interval_seconds` and prints `summary` of it until the run has
/// finished (then prints it one last time and returns 0) or SIGINT / SIGTERM arrives
/// (returns 0). On a terminal each summary replaces the previous one on screen; otherwise
/// (a Slurm output file, a pipe) a summary is appended, under a time stamp, whenever it
/// differs from the previous one, so the output grows only with progress.
int show_live(const std::string& log, double interval_seconds,
              const std::function<void(std::ostream&, const LogReader&)>& summary);

}  // namespace h5tune::cli
