#!/bin/sh
# The demo of the README's first command: a counter is launched under Stasis (which
# starts a coordinator on 127.0.0.1:7779, the embedded default), checkpointed,
# killed with SIGKILL and restarted from its image - and it goes on counting.
set -eu
cd "$(dirname "$0")"
if [ ! -x dist/target/stasis/bin/stasis ] || [ ! -x native/target/test-programs/counter ]; then
    echo "== building Stasis (mvn -B -q -DskipTests package)"
    mvn -B -q -DskipTests package
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/stasis-demo.XXXXXX")
counter=native/target/test-programs/counter

echo "== stasis launch $counter   (one number every 300 ms; images go to $dir)"
bin/stasis launch --ckpt-dir "$dir" "$counter" 30 300 &
launched=$!
sleep 3
echo "== stasis checkpoint"
bin/stasis checkpoint
echo "== kill -9 $launched"
kill -9 "$launched"
wait "$launched" 2>/dev/null || true
image=$(ls "$dir"/ckpt_counter_*.stasis)
echo "== stasis restart $image   (it continues from the checkpoint)"
bin/stasis restart "$image"
echo "== the counter finished after a restart; its image is still in $dir"
