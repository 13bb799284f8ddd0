#!/bin/sh
# Ignores SIGTERM (so does its child, which inherits the ignored disposition), starts a
# grandchild, records both pids in the working directory, says so, and waits forever.
trap '' TERM
sleep 60 &
echo "$!" > grandchild.pid
echo "$$" > leader.pid
echo "h5tune: step=1 started=1"
wait
