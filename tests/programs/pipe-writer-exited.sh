#!/bin/bash
# The command substitution of issue 11: `echo` has written its line into the pipe
# and exited while `{ sleep; cat; }` sleeps, so no process holds the pipe's write
# end; a checkpoint during the sleep must put the line back for `cat` after a restart.
# Usage: pipe-writer-exited.sh SECONDS
for i in 1 2 3; do x=$(echo payload-$i | { sleep "$1"; cat; }); echo "got=[$x]"; done
echo done
