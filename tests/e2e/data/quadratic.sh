#!/bin/sh
# Objective for the end-to-end tests: a shifted quadratic of x, with an integer and a
# categorical term, a learning curve, and an optional pause per trial. The pause is a
# number of seconds, or the absolute path of a hold file holding a trial id: while that
# file exists, trials from that id on do not end (tests that need a run to stay alive).
x=$1; n=$2; act=$3; pause=${4:-0}
awk -v x="$x" -v n="$n" -v act="$act" -v seed="$H5TUNE_SEED" -v id="$H5TUNE_TRIAL_ID" 'BEGIN {
  pen = (act == "tanh") ? 0.5 : 0
  loss = (x - 1) * (x - 1) + (n - 2) * (n - 2) + pen
  for (s = 1; s <= 3; s++) printf "h5tune: step=%d loss=%.10g\n", s, loss + 1 / s
  printf "h5tune: loss=%.10g id=%d\n", loss, id
}'
case $pause in
  0) ;;
  /*) while [ "$H5TUNE_TRIAL_ID" -ge "$(cat "$pause" 2>/dev/null || echo 2147483647)" ]; do sleep 0.02; done ;;
  *) sleep "$pause" ;;
esac
exit 0
