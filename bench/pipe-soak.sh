#!/bin/bash
# Soak of pipes and fifos across checkpoints and restarts: lost or repeated records.
#
#   bench/pipe-soak.sh [CHECKPOINTS] [EVERY] [DIR]
#
# The computation is tests/programs/pipe-fanout (three processes): a writer streams
# 64-byte numbered records into an anonymous pipe to one child and a fifo to another,
# both readers slower, so both carry bytes in flight at every checkpoint. CHECKPOINTS
# (default 1000) blocking checkpoints are taken back to back; after every EVERY
# (default 50) the whole tree is killed with -9 and restarted from a generation drawn
# at random among those EVERY (its images were copied aside when it was taken). The
# readers count every record lost or repeated and every byte that is no record; their output is appended
# (O_APPEND), so what a discarded branch printed stays in it too. DIR (default: a new
# directory under bench/target) holds images, logs and the output.
#
# Prints the lost / repeated record and corrupt byte counts (all must be 0), the records the
# readers verified, and timings: each `stasis checkpoint` command (JVM start included),
# each process's part of a checkpoint (its debug log), each restart until both readers
# make progress again. Exits 0 only when nothing was lost, repeated or corrupt.
set -euo pipefail

checkpoints=${1:-1000}
every=${2:-50}
repo=$(cd "$(dirname "$0")/.." && pwd -P)
stasis=$repo/bin/stasis
fanout=$repo/native/target/test-programs/pipe-fanout
dir=${3:-$repo/bench/target/pipe-soak-$$}
mkdir -p "$dir/keep"
dir=$(cd "$dir" && pwd -P)
export STASIS_TMPDIR=$dir STASIS_DEBUG=1
[ -x "$fanout" ] && "$stasis" --version >/dev/null || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
[ "$checkpoints" -gt 0 ] && [ "$every" -gt 0 ] || { echo "usage: $0 [CHECKPOINTS] [EVERY] [DIR]" >&2; exit 2; }

now() { date +%s.%N; }
# the process and its descendants, deepest first
tree() { local p; for p in $(ps -o pid= --ppid "$1"); do tree "$p"; done; echo "$1"; }
# all at once, as when the machine fails: stopped first, or the writer dies of SIGPIPE
# once a reader is gone and the other reader reports a stream that ended early
kill_tree() {
    local pids
    pids=$(tree "$1")
    kill -STOP $pids 2>/dev/null || true
    kill -9 $pids 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
# lines of out that match, 0 when none
count() { grep -c -E "$1" "$dir/out" || true; }
# the highest progress figure a reader printed so far
progress() { grep -E "^$1 [0-9]+$" "$dir/out" | awk '{ if ($2 > m) m = $2 } END { print m + 0 }'; }

cd "$dir"
"$stasis" coordinator --quiet --port 0 --port-file "$dir/port" > coordinator.out 2>&1 &
coordinator=$!
until [ -s "$dir/port" ]; do kill -0 $coordinator || { cat coordinator.out; exit 1; }; sleep 0.1; done
export STASIS_COORD_PORT=$(cat "$dir/port")
cleanup() { kill_tree "$root"; "$stasis" command --quit > /dev/null 2>&1 || kill $coordinator 2>/dev/null || true; }
trap cleanup EXIT

echo "bench: $checkpoints checkpoints of pipe-fanout, restart from a random one of every $every, in $dir"
: > out
"$stasis" launch --ckpt-dir "$dir" "$fanout" "$dir/fanout.fifo" "$dir/stop" 0 >> out 2> launch.err &
root=$!
until [ "$(progress pipe)" -gt 0 ] && [ "$(progress fifo)" -gt 0 ]; do
    kill -0 $root 2>/dev/null || { cat launch.err; exit 1; }
    sleep 0.1
done

faults='LOST|REPEATED|CORRUPT|NO END|failed|did not end well'
command_ms=() restart_ms=() from=()
pick=$((RANDOM % every + 1))
for ((k = 1; k <= checkpoints; k++)); do
    t0=$(now)
    line=$("$stasis" checkpoint) || { echo "checkpoint $k failed: $line" >&2; exit 1; }
    command_ms+=("$(python3 -c "print(round(($(now) - $t0) * 1000))")")
    in_block=$(((k - 1) % every + 1))
    [ "$in_block" -eq "$pick" ] && { rm -f keep/*.stasis; cp ckpt_*.stasis keep/; }
    [ "$(count "$faults")" -eq 0 ] || { echo "fault after checkpoint $k:" >&2; grep -E "$faults" out >&2; exit 1; }
    if [ "$in_block" -eq "$every" ] && [ "$k" -lt "$checkpoints" ]; then
        kill_tree "$root"
        from+=("$pick")
        before=$(stat -c %s out)
        t0=$(now)
        "$stasis" restart --ckpt-dir "$dir" keep/ckpt_*.stasis > restart.out 2>&1 &
        root=$!
        # running again: both readers printed progress since (appended to out)
        until tail -c +$((before + 1)) out | grep -q '^pipe [0-9]*$' && tail -c +$((before + 1)) out | grep -q '^fifo [0-9]*$'; do
            kill -0 $root 2>/dev/null || { cat restart.out; exit 1; }
            sleep 0.05
        done
        restart_ms+=("$(python3 -c "print(round(($(now) - $t0) * 1000))")")
        pick=$((RANDOM % every + 1))
    fi
done

touch stop
for ((i = 0; i < 600 && $(count '^done$') == 0; i++)); do
    kill -0 $root 2>/dev/null || break
    sleep 0.1
done
sum() { awk -v f="$1" '{ for (i = 1; i < NF; i++) if ($i == f) s += $(i + 1) } END { print s + 0 }' <<< "$2"; }
anomalies=$(grep -E "$faults" out || true)
echo
echo "checkpoints taken        $checkpoints ($(( (checkpoints - 1) / every )) restarts, from checkpoints ${from[*]:-none} of their blocks)"
echo "records lost             $(sum LOST "$anomalies")"
echo "records repeated         $(sum REPEATED "$anomalies")"
echo "bytes corrupt            $(sum CORRUPT "$anomalies")"
echo "fault lines              $(count "$faults")"
grep -E '^(pipe|fifo) verified' out | sed 's/^/final: /' || true
[ "$(count '^done$')" -gt 0 ] && echo "final: done (both readers ended well)" || echo "final: NOT done"
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1; s += $1 } END {
    p = int(NR * 0.99); if (p < 1) p = 1
    printf "n=%d min %d median %d p99 %d max %d mean %.0f ms\n", NR, v[1], v[int((NR + 1) / 2)], v[p], v[NR], s / NR }'; }
echo "stasis checkpoint        $(stats "${command_ms[@]}")  (command, JVM start included)"
# each process logs how long its part took (STASIS_DEBUG): suspended to image written
mapfile -t inside_ms < <(grep -h -o 'checkpoint [0-9]* done: [0-9]* bytes in [0-9]* ms' stasis-*.log | awk '{ print $7 }')
echo "in each process          $(stats "${inside_ms[@]}")  (one checkpoint of one process, from its log)"
[ ${#restart_ms[@]} -gt 0 ] && echo "restart to progress      $(stats "${restart_ms[@]}")  (stasis restart until both readers print progress)"
[ "$(count "$faults")" -eq 0 ] && [ "$(count '^done$')" -gt 0 ]
