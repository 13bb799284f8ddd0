#pragma once
// Handing a batch script to Slurm's sbatch.
#include <filesystem>
#include <string>

namespace h5tune::cli {

/// The first executable `name` in the directories of PATH; empty if there is none.
std::filesystem::path find_on_path(const std::string& name);

/// Runs `sbatch --parsable script` and returns the job id it prints. sbatch's own error
/// messages go to our stderr; Error if sbatch is missing or fails.
std::string submit_with_sbatch(const std::filesystem::path& script);

}  // namespace h5tune::cli
