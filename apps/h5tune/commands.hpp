#pragma once
// The h5tune subcommands. Each registers its options on the CLI11 app and returns the
// function that runs it; main() maps exceptions to exit codes (cli_errors.hpp).
#include <functional>

#include <CLI/CLI.hpp>

namespace h5tune::cli {

/// Runs a subcommand after parsing; returns the process exit code.
using Command = std::function<int()>;

Command add_run(CLI::App& app, int& argc, char**& argv);
Command add_show(CLI::App& app);
Command add_export(CLI::App& app);
Command add_submit(CLI::App& app);
Command add_report(CLI::App& app);
Command add_replay(CLI::App& app);
Command add_compare(CLI::App& app);
Command add_simulate(CLI::App& app);

}  // namespace h5tune::cli
