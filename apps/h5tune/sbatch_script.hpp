#pragma once
// The batch script `h5tune submit` writes: slurm/study.sbatch.in (compiled into the binary)
// with the job's resources and paths filled in.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace h5tune::cli {

/// What one study job asks Slurm for, and where its files go.
struct SbatchJob {
  std::string job_name;                   ///< Slurm's job name (h5tune-<study name>)
  int nodes = 1;
  int ntasks_per_node = 1;                ///< MPI ranks per node; rank 0 manages, the others evaluate
  std::string time_limit;                 ///< as Slurm takes it: [D-]HH:MM:SS
  std::optional<std::string> partition;
  std::optional<int> gpus_per_task;       ///< one GPU per rank: Slurm sets CUDA_VISIBLE_DEVICES per task
  int max_requeues = 3;                   ///< requeues after the time-limit warning
  std::int64_t warning_seconds = 120;     ///< USR1 this long before the time limit
  std::filesystem::path study;            ///< absolute
  std::filesystem::path log;              ///< absolute: the log the study writes
  std::filesystem::path output;           ///< absolute: Slurm's output file (%j is the job id)
  std::filesystem::path h5tune;           ///< absolute path of the h5tune binary the job runs
};

/// Seconds in a Slurm time limit written [D-]HH:MM:SS (also MM:SS); InputError otherwise.
std::int64_t parse_time_limit(std::string_view text);

/// The default warning before the time limit: 10 % of the limit, at least 60 s (Slurm checks
/// signal times about once a minute) and at most 10 minutes, but never more than half the limit.
std::int64_t default_warning_seconds(std::int64_t limit_seconds);

/// A Slurm-friendly job name from a study name: characters other than letters, digits, '.',
/// '_' and '-' become '_'.
std::string job_name_for(std::string_view study_name);

/// The batch script for `job`.
std::string render_sbatch(const SbatchJob& job);

/// The template as compiled in (generated from slurm/study.sbatch.in).
std::string_view sbatch_template();

}  // namespace h5tune::cli
