#!/bin/sh
# Prints what a trial sees of its environment, one item a line, to stdout.
printf '%s\n' "$H5TUNE_TRIAL_ID" "$H5TUNE_SEED" "$H5TUNE_TRIAL_DIR" "$H5TUNE_BUDGET" \
  "$H5TUNE_TEST_EXTRA" "$(pwd -P)"
cat  # stdin must be /dev/null: this ends at once
echo "h5tune: ok=1"
