#pragma once
// Checkpoints for population-based training and successive halving: the model's weights,
// its momentum buffers, the number of epochs trained and the batch-order generator, in one
// file in a directory (README.md, "The PBT contract").
#include <cstdint>
#include <filesystem>
#include <random>

#include "mlp.hpp"

namespace digits {

/// The file a checkpoint directory holds.
inline constexpr const char* checkpoint_file_name = "digits.ckpt";

/// Writes `model`, `epoch` and the generator `rng` to <directory>/digits.ckpt, creating the
/// directory. The file is written under a temporary name and renamed, so a killed run never
/// leaves half a checkpoint.
void save_checkpoint(const std::filesystem::path& directory, Mlp& model, std::int64_t epoch,
                     const std::mt19937_64& rng);

/// Loads <directory>/digits.ckpt into `model`, which must have the checkpoint's hidden width
/// and activation (the optimizer settings may differ: that is how PBT explores), and its
/// generator into `rng`, so that training goes on exactly as if it had never stopped
/// (a checkpoint of format 1, without a generator, leaves `rng` alone). Returns the epochs
/// the checkpoint had trained. Throws std::runtime_error naming the problem.
std::int64_t restore_checkpoint(const std::filesystem::path& directory, Mlp& model, std::mt19937_64& rng);

}  // namespace digits
