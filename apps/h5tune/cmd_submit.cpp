// `h5tune submit`: checks a study file, writes its Slurm batch script next to it and submits
// it with sbatch. The script stops the run before the time limit and requeues the job.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "h5tune/config.hpp"
#include "h5tune/error.hpp"
#include "sbatch_script.hpp"
#include "sbatch_submit.hpp"

namespace h5tune::cli {
namespace {

struct SubmitArgs {
  std::string study;
  int nodes = 1;
  int ntasks_per_node = 0;
  std::string time;
  std::optional<std::string> partition;
  std::optional<int> gpus_per_task;
  int max_requeues = 3;
  std::optional<std::int64_t> warning_seconds;
  std::string script;
  bool resume = false;
  bool dry_run = false;
};

// The job runs this very binary, so that the job and the check here agree.
std::filesystem::path this_executable() {
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) throw Error(fmt::format("cannot find the h5tune binary: /proc/self/exe: {}", error.message()));
  return path;
}

SbatchJob describe_job(const SubmitArgs& args, const StudyConfig& study, const std::filesystem::path& study_path) {
  SbatchJob job;
  job.job_name = job_name_for(study.name);
  job.nodes = args.nodes;
  job.ntasks_per_node = args.ntasks_per_node;
  const std::int64_t limit = parse_time_limit(args.time);
  job.time_limit = args.time;
  job.partition = args.partition;
  job.gpus_per_task = args.gpus_per_task;
  job.max_requeues = args.max_requeues;
  job.warning_seconds = args.warning_seconds.value_or(default_warning_seconds(limit));
  // Without --warning the default is at most half the limit, which a 1 s limit cannot hold:
  // name the option the user gave.
  if (job.warning_seconds >= limit && !args.warning_seconds)
    throw InputError(fmt::format("--time {}: a limit of {} s leaves no time to stop the run before it (at least 2 s)",
                                 args.time, limit));
  if (job.warning_seconds >= limit)
    throw InputError(fmt::format("--warning {} s is not shorter than the time limit ({} s)", job.warning_seconds, limit));
  job.study = study_path;
  job.log = std::filesystem::absolute(study.log).lexically_normal();
  job.output = study_path.parent_path() / (study_path.stem().string() + "-%j.out");
  job.h5tune = this_executable();
  return job;
}

int submit_command(const SubmitArgs& args) {
  // Everything the job would find wrong at its start is found here, before anything is queued.
  const auto study_path = std::filesystem::absolute(args.study).lexically_normal();
  const StudyConfig study = load_study(study_path);
  if (!study.command)
    throw InputError(fmt::format("{}: the study has no [objective] command; h5tune submit needs one", args.study));
  const SbatchJob job = describe_job(args, study, study_path);
  const bool log_exists = std::filesystem::exists(job.log);
  if (log_exists && !args.resume)
    throw InputError(fmt::format("{}: log exists; pass --resume to continue it, or move it away", job.log.string()));
  if (!log_exists && args.resume) throw InputError(fmt::format("--resume: there is no log at {}", job.log.string()));

  const std::filesystem::path script_path =
      args.script.empty() ? study_path.parent_path() / (study_path.stem().string() + ".sbatch")
                          : std::filesystem::absolute(args.script);
  // The script replaces whatever is at its path: never the study it runs or that study's log.
  // (A dry run checks it too, so that it vets the command that would submit.)
  for (const auto& [file, what] : {std::pair{study_path, "the study file"}, std::pair{job.log, "the study's log"}})
    if (same_file(script_path, file))
      throw InputError(fmt::format("--script {}: that is {}; writing the batch script there would destroy it",
                                   script_path.string(), what));

  const std::string script = render_sbatch(job);
  if (args.dry_run) {
    std::cout << script;
    return exit_ok;
  }
  {
    std::ofstream out(script_path);
    if (!out)  // a bad --script path (a directory, a missing one) is bad input, as for export -o
      throw InputError(fmt::format("{}: cannot write the batch script: {}", script_path.string(), std::strerror(errno)));
    out << script;
    if (!out.flush()) throw Error(fmt::format("cannot write {}", script_path.string()));
  }
  std::filesystem::permissions(script_path, std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);

  const std::string job_id = submit_with_sbatch(script_path);
  std::string output = job.output.string();
  output.replace(output.find("%j"), 2, job_id);
  std::cout << fmt::format("submitted job {}\n", job_id);
  std::cout << fmt::format("script        {}\n", script_path.string());
  std::cout << fmt::format("log           {}   (h5tune show {})\n", job.log.string(), job.log.string());
  std::cout << fmt::format("slurm output  {}\n", output);
  return exit_ok;
}

}  // namespace

Command add_submit(CLI::App& app) {
  auto args = std::make_shared<SubmitArgs>();
  auto* sub = app.add_subcommand(
      "submit", "Submit a study as a Slurm job (sbatch) that stops before its time limit and requeues itself");
  sub->add_option("study", args->study, "Study file (TOML, see docs/study-file.md)")->required();
  sub->add_option("-N,--nodes", args->nodes, "Nodes")->check(CLI::PositiveNumber);
  sub->add_option("--ntasks-per-node", args->ntasks_per_node, "MPI ranks per node (rank 0 manages, the others evaluate)")
      ->required()
      ->check(CLI::PositiveNumber);
  sub->add_option("-t,--time", args->time, "Time limit [D-]HH:MM:SS")->required();
  sub->add_option("-p,--partition", args->partition, "Slurm partition");
  sub->add_option("--gpus-per-task", args->gpus_per_task, "GPUs per rank (Slurm sets CUDA_VISIBLE_DEVICES per rank)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--max-requeues", args->max_requeues, "Requeues after the time-limit warning")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--warning", args->warning_seconds,
                  "Seconds before the time limit at which the run stops (default: 10 % of the limit, 60 to 600 s)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--script", args->script, "Where to write the batch script (default: <study>.sbatch beside the study)");
  sub->add_flag("--resume", args->resume, "Continue the study's existing log");
  sub->add_flag("--dry-run", args->dry_run, "Print the batch script; write and submit nothing");
  return [args] { return guarded([args] { return submit_command(*args); }); };
}

}  // namespace h5tune::cli
