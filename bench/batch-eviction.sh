#!/bin/bash
# Eviction of a batch job under `stasis batch`: time from the signal to the wrapper's exit
# (checkpoint, fsync, stop), what must be transferred afterwards, and the rerun's restart.
#
#   bench/batch-eviction.sh [MIB] [DIR]
#
# The job is tests/programs/hashchain holding MIB MiB (default 1024) of random data: the
# worst case, nothing compresses. DIR (default: a new directory under bench/target) is the
# job's directory, on the disk to measure.
#
# Baselines, measured in the same run on the same machine:
#   floor write  writing the image's bytes to the same directory (dd, fsync)
#   floor lz4    compressing the same bytes with the lz4 command (-1)
set -euo pipefail

mib=${1:-1024}
repo=$(cd "$(dirname "$0")/.." && pwd -P)
stasis=$repo/bin/stasis
hashchain=$repo/native/target/test-programs/hashchain
dir=${2:-$repo/bench/target/batch-$$}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd -P)
[ -x "$hashchain" ] && "$stasis" --version >/dev/null || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }

now() { date +%s.%N; }
seconds() { python3 -c "print(f'{$2 - $1:.2f}')"; }
mib_of() { python3 -c "print(f'{$1 / 1048576:.1f}')"; }

cd "$dir"
echo "bench: stasis batch, $mib MiB of random data, in $dir"
# first touch of guest memory is slow on these machines (see checkpoint-restart.sh)
dd if=/dev/zero of=warm-up bs=1M count=$((2 * mib)) status=none
rm -f warm-up

"$stasis" batch -- "$hashchain" 1000000 100 "$mib" > job.out 2> job.err &
wrapper=$!
until grep -q '^0 ' job.out 2>/dev/null; do
    kill -0 $wrapper 2>/dev/null || { cat job.err; exit 1; }
    sleep 0.1
done
sleep 1
t0=$(now)
kill -TERM $wrapper
status=0
wait $wrapper || status=$?
t1=$(now)
[ "$status" = 75 ] || { echo "stasis batch exited with $status, not 75" >&2; cat job.err >&2; exit 1; }
generation=$(ls -d stasis-ckpt/generation-* | tail -1)
image=$(ls "$generation"/ckpt_*.stasis)
transfer=$(du -sb stasis-ckpt | cut -f1)
inside=$(grep -o 'written to .* in [0-9]* ms' job.err | tail -1 | awk '{print $(NF-1)}')
lines=$(grep -c '^[0-9]' job.out)

# the rerun: from its start to the program's next line, the restart of a batch system's rerun
t2=$(now)
"$stasis" batch -- "$hashchain" 1000000 100 "$mib" > rerun.out 2> rerun.err &
rerun=$!
until grep -q '^[0-9]' rerun.out 2>/dev/null; do
    kill -0 $rerun 2>/dev/null || { cat rerun.err; exit 1; }
    sleep 0.05
done
t3=$(now)
first=$(head -1 rerun.out | cut -d' ' -f1)
kill -TERM $rerun
wait $rerun || true
[ "$first" = "$lines" ] || { echo "the rerun went on at line $first, not $lines" >&2; exit 1; }

# baselines
t4=$(now)
dd if="$image" of=floor.bin bs=1M conv=fsync status=none
t5=$(now)
t6=$(now)
lz4 -1 -q -c "$image" > /dev/null
t7=$(now)
rm -f floor.bin

printf '\n%-34s %10s %12s\n' "" "seconds" "MiB"
printf '%-34s %10s %12s   %s\n' "signal to exit (eviction)" "$(seconds "$t0" "$t1")" "$(mib_of "$(stat -c %s "$image")")" \
    "blocking checkpoint in ${inside} ms, fsync, stop; the image"
printf '%-34s %10s %12s   %s\n' "to transfer per checkpoint" "" "$(mib_of "$transfer")" \
    "du of stasis-ckpt/ after it (every generation kept: one here)"
printf '%-34s %10s %12s   %s\n' "rerun to the program's next line" "$(seconds "$t2" "$t3")" "" \
    "JVM, coordinator, stasis restart, restore"
printf '%-34s %10s %12s   %s\n' "floor: write same bytes" "$(seconds "$t4" "$t5")" "" "dd of the image, fsync"
printf '%-34s %10s %12s   %s\n' "floor: lz4 -1 of the image" "$(seconds "$t6" "$t7")" "" "the lz4 command, one thread"
rm -rf "$dir/stasis-ckpt"
