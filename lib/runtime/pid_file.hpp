#pragma once
// RunOptions::pid_file: rank 0 announces, by writing its process id, that it now handles
// SIGTERM. A batch script that stops a run signals rank 0 only once the file exists; a
// signal sent earlier would find the default action and kill rank 0 before it could close
// the log and exit with code 3 (slurm/study.sbatch.in).
#include <filesystem>

namespace h5tune::runtime {

/// Writes this process's id to `path` (nothing when `path` is empty) and removes the file
/// when destroyed. Throws InputError naming the path when it cannot be written.
class PidFile {
 public:
  explicit PidFile(std::filesystem::path path);
  ~PidFile();
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;

 private:
  std::filesystem::path path_;
};

}  // namespace h5tune::runtime
