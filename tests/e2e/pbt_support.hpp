#pragma once
// A PBT study for the end-to-end tests whose command is a small shell script that saves and
// restores a checkpoint (pbt_cli_test.cpp, replay_cli_test.cpp).
#include <filesystem>
#include <string>

#include <fmt/format.h>

namespace h5tune::test {

// A training stand-in: the checkpoint holds (writer's trial id, steps trained, loss); a
// segment restores it, trains H5TUNE_BUDGET more steps and halves the loss plus a penalty
// for its x. It records which trial's checkpoint it restored in its trial directory.
inline const char* const pbt_segment_script = R"(#!/bin/sh
set -e
x=$1
steps=0
loss=4.0
if [ -n "$H5TUNE_RESTORE_FROM" ]; then
  read owner steps loss < "$H5TUNE_RESTORE_FROM/state"
  echo "$owner" > restored_owner
fi
steps=$((steps + H5TUNE_BUDGET))
loss=$(awk -v p="$loss" -v x="$x" 'BEGIN { printf "%.6f", p * 0.5 + (x - 1) * (x - 1) }')
mkdir -p "$H5TUNE_CHECKPOINT_DIR"
echo "$H5TUNE_TRIAL_ID $steps $loss" > "$H5TUNE_CHECKPOINT_DIR/state.tmp"
mv "$H5TUNE_CHECKPOINT_DIR/state.tmp" "$H5TUNE_CHECKPOINT_DIR/state"
echo "h5tune: loss=$loss steps=$steps"
)";

/// A pbt study running `script` (pbt_segment_script) with `{x}`, logging to run.h5, with a
/// budget of population * generations trials.
inline std::string pbt_study_text(const std::filesystem::path& script, int population, int interval, int generations) {
  return fmt::format(R"([study]
name = "pbt-e2e"
direction = "minimize"
metric = "loss"
seed = 3
max_trials = {}
log = "run.h5"

[strategy]
kind = "pbt"
population = {}
interval = {}
generations = {}

[objective]
command = ["sh", "{}", "{{x}}"]
timeout = "20s"

[space]
x  = {{ float = [-3.0, 3.0] }}
lr = {{ float = [1e-3, 1.0], log = true }}
)",
                     population * generations, population, interval, generations, script.string());
}

}  // namespace h5tune::test
