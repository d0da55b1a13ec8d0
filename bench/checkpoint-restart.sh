#!/bin/bash
# Checkpoint and restart of one big process, with a same-run baseline for each figure.
#
#   bench/checkpoint-restart.sh [MIB] [words|prose] [DIR]
#
# The process (tests/programs/bigmem.c) holds MIB MiB, half random and half text:
# "prose" is one paragraph repeated (gzip shrinks it ~100x: the README's reference
# workload), "words" is word salad (partially compressible). Defaults: 2048 prose.
# DIR (default: a new directory under bench/target) must be on the disk to measure.
#
# Baselines, measured in the same run on the same machine:
#   floor write  writing the image's bytes to the same directory (dd, fsync)
#   floor lz4    compressing the process's memory with the lz4 command (-1)
#   criu         dump and restore of the same program, only if `criu check` passes
# Page cache: images are read back from memory, as in the README's reference figures.
set -euo pipefail

mib=${1:-2048}
mode=${2:-prose}
repo=$(cd "$(dirname "$0")/.." && pwd -P)
stasis=$repo/bin/stasis
bigmem=$repo/native/target/test-programs/bigmem
dir=${3:-$repo/bench/target/run-$$}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd -P)
export STASIS_TMPDIR=$dir STASIS_DEBUG=1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export STASIS_COORD_PORT=$port

[ -x "$bigmem" ] && "$stasis" --version >/dev/null || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }

now() { date +%s.%N; }
seconds() { python3 -c "print(f'{$2 - $1:.2f}')"; }
mib_of() { python3 -c "print(f'{$(stat -c %s "$1") / 1048576:.1f}')"; }

cd "$dir"
echo "bench: $mib MiB ($mode) in $dir"
# This machine's memory is backed lazily by the hypervisor: the first touch of a page
# the guest never used costs ~2.5 s per GiB, which would land on whichever step
# happens to allocate first (page cache for the image, the restored memory). Touch
# twice the process's size once, as a machine that has been running would have.
dd if=/dev/zero of="$dir/warm-up" bs=1M count=$((2 * mib)) status=none
rm -f "$dir/warm-up"
"$stasis" launch --ckpt-dir "$dir" "$bigmem" "$mib" -1 "$mode" "$dir/memory.raw" > bigmem.out 2>&1 &
launched=$!
until grep -q '^0 ok' bigmem.out 2>/dev/null; do
    kill -0 $launched 2>/dev/null || { cat bigmem.out; exit 1; }
    sleep 0.2
done

t0=$(now)
"$stasis" checkpoint > checkpoint.out
t1=$(now)
image=$(ls "$dir"/ckpt_bigmem_*.stasis)
log=$(ls -t "$dir"/stasis-bigmem-*.log | head -1)
inside=$(grep -o 'checkpoint [0-9]* done: [0-9]* bytes in [0-9]* ms' "$log" | tail -1 | awk '{print $7}')
breakdown=$(grep -o 'image: .*' "$log" | tail -1)
kill -9 $launched; wait $launched 2>/dev/null || true

# restart: stasis-restart replaces itself with bigmem, whose log reports when the
# restored process resumed, counted from the restarter's first instruction
"$repo/dist/target/stasis/libexec/stasis-restart" "$image" > restart.out 2> restart.err &
restarted=$!
until grep -q 'restart complete' "$dir"/stasis-bigmem-*.log 2>/dev/null; do
    kill -0 $restarted 2>/dev/null || { cat restart.err; exit 1; }
    sleep 0.1
done
restart_ms=$(grep -ho 'restart complete in [0-9]* ms' "$dir"/stasis-bigmem-*.log | tail -1 | awk '{print $4}')
# the restored process writes on where it was in bigmem.out: wait for its next check of all memory
lines=$(wc -l < bigmem.out)
sleep 0.2
until [ "$(grep -c ' ok ' bigmem.out)" -gt 0 ] && [ "$(stat -c %Y bigmem.out)" -ge "$(date +%s -d '-1 sec')" ]; do
    sleep 0.1
done
sleep 1
grep -q CORRUPT bigmem.out && { echo "restored memory is corrupt" >&2; exit 1; }
kill -9 $restarted 2>/dev/null || true
wait $restarted 2>/dev/null || true
: "$lines"
"$stasis" command --quit >/dev/null 2>&1 || true

# baselines
t2=$(now)
dd if="$image" of="$dir/floor.bin" bs=1M conv=fsync status=none
t3=$(now)
rm -f "$dir/floor.bin"
t4=$(now)
lz4 -1 -q -c "$dir/memory.raw" > "$dir/memory.lz4"
t5=$(now)
lz4_size=$(mib_of "$dir/memory.lz4")
rm -f "$dir/memory.raw" "$dir/memory.lz4"
criu_line="criu                      not run: \`criu check\` does not pass on this machine"
if command -v criu >/dev/null 2>&1 && criu check >/dev/null 2>&1; then
    criu_line="criu                      available: run it by hand (dump needs root here)"
fi

printf '\n%-25s %10s %12s\n' "" "seconds" "MiB"
printf '%-25s %10s %12s   %s\n' "stasis checkpoint" "$(seconds "$t0" "$t1")" "$(mib_of "$image")" \
    "blocking command, JVM start included; in the process: ${inside} ms (${breakdown#image: })"
printf '%-25s %10s %12s   %s\n' "stasis restart" "$(python3 -c "print(f'{$restart_ms/1000:.2f}')")" "" \
    "restarter start to the process resuming"
printf '%-25s %10s %12s   %s\n' "floor: write same bytes" "$(seconds "$t2" "$t3")" "$(mib_of "$image")" \
    "dd of the image to the same directory, fsync"
printf '%-25s %10s %12s   %s\n' "floor: lz4 -1 of memory" "$(seconds "$t4" "$t5")" "$lz4_size" \
    "the lz4 command, one thread, to /dev/null-like output"
echo "$criu_line"
echo "reference (README, same machines): DMTCP gzip 33 s / 1034 MiB / restart 8.7 s;" \
     "CRIU 2.8 s / 2048 MiB / 1.7 s"
rm -f "$image"
