#include <filesystem>
#include <iostream>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "h5tune/command.hpp"
#include "h5tune/config.hpp"
#include "h5tune/error.hpp"
#include "h5tune/runtime.hpp"
#include "trial_table.hpp"

namespace h5tune::cli {
namespace {

struct RunArgs {
  std::string study;
  bool force = false;
  bool resume = false;
  bool quiet = false;
  bool verbose = false;
  std::string pid_file;
};

int run_command(const RunArgs& args, int& argc, char**& argv) {
  Environment env(argc, argv);
  const bool speaker = env.rank() == 0;
  return guarded(
      [&] {
        if (args.force && args.resume) throw InputError("--force and --resume exclude each other");
        const StudyConfig study = load_study(args.study);
        if (!study.command)
          throw InputError(fmt::format(
              "{}: the study has no [objective] command; h5tune run needs one (a C++ objective runs from your own "
              "program, see examples/)",
              args.study));
        // The pid file is replaced when the run stops and removed at its end: over the study
        // or its log, that would delete them.
        for (const auto& [file, what] : {std::pair{std::filesystem::path(args.study), "the study file"},
                                         std::pair{study.log, "the study's log"}})
          if (!args.pid_file.empty() && same_file(args.pid_file, file))
            throw InputError(fmt::format("--pid-file {}: that is {}; the run would delete it at its end", args.pid_file, what));
        CommandObjective objective(*study.command, study.space);
        RunOptions options;
        options.overwrite = args.force;
        options.resume = args.resume;
        options.verbosity = args.quiet ? 0 : args.verbose ? 2 : 1;
        options.pid_file = args.pid_file;
        const RunSummary summary = [&] {
          try {
            return run_study(study, objective, options);
          } catch (const LogExistsError& e) {
            throw InputError(fmt::format("{}: log exists; use --resume to continue it or --force to replace it", e.log()));
          }
        }();
        if (!summary.manager) return exit_ok;
        print_run_summary(std::cout, study, summary);
        if (summary.failure_limit) {
          // Not exit_interrupted: a requeued Slurm job would only fail again.
          std::cerr << fmt::format("h5tune: {}: stopped because the objective looks broken: {} ([study] "
                                   "max_failures); see the failed trials with `h5tune show {}`\n",
                                   args.study, *summary.failure_limit, summary.log.string());
          return exit_failure;
        }
        return summary.stopped_by_signal ? exit_interrupted : exit_ok;
      },
      speaker);
}

}  // namespace

Command add_run(CLI::App& app, int& argc, char**& argv) {
  auto args = std::make_shared<RunArgs>();
  auto* sub = app.add_subcommand("run", "Run a study: `h5tune run study.toml`, or under `mpiexec -n N` with N-1 workers");
  sub->add_option("study", args->study, "Study file (TOML, see docs/study-file.md)")->required();
  sub->add_flag("--force", args->force, "Replace an existing log");
  sub->add_flag("--resume", args->resume, "Continue the study in an existing log");
  auto* quiet = sub->add_flag("-q,--quiet", args->quiet, "Print only the final summary");
  auto* verbose = sub->add_flag("-v,--verbose", args->verbose, "Print a line per finished trial");
  quiet->excludes(verbose);
  sub->add_option("--pid-file", args->pid_file,
                  "Rank 0 writes its process id here once SIGTERM stops the run cleanly (exit code 3), and "
                  "removes it at the end");
  return [args, &argc, &argv] { return run_command(*args, argc, argv); };
}

}  // namespace h5tune::cli
