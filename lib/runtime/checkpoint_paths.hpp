#pragma once
// Where checkpoints live (pbt, successive_halving): `<trial dir>/checkpoint`, the trial directory being
// `<trials dir>/<id>` (the objective's workdir, or `<log>.trials` for callables). Workers
// hand these paths to the objective; rank 0 deletes released ones (checkpoint_retention).
#include <cstdint>

#include "h5tune/objective.hpp"
#include "h5tune/study.hpp"

namespace h5tune::runtime {

/// True when the study's strategy continues trials from checkpoints (pbt, successive_halving).
bool uses_checkpoints(const StudyConfig& study);

/// The checkpoint directory of trial `id`, absolute: `<trial dir>/checkpoint`.
std::filesystem::path checkpoint_dir(const StudyConfig& study, std::int64_t id);

/// What trial `id` with `parent` saves to and restores from; both empty when the study
/// uses no checkpoints, `restore` empty without a parent.
CheckpointPaths checkpoint_paths(const StudyConfig& study, std::int64_t id, std::int64_t parent);

}  // namespace h5tune::runtime
