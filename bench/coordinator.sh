#!/bin/bash
# The coordinator under load, over loopback, with the real protocol (bench/CoordinatorBench.java):
# authenticated connections per second (1 and 4 client threads), the round trip of a named
# barrier with 1 and 64 fake processes (from the last BARRIER sent to the last RELEASE
# received), and a whole blocking checkpoint of fake processes that answer at once.
#
#   bench/coordinator.sh
#
# The coordinator runs as `stasis coordinator` does (its JVM is tuned for short command-line runs:
# C1 only, serial GC; a run with the full JIT measured no better). The clients run in another
# JVM on the same machine and share its CPUs; they close with a reset, so that runs do not
# pile up TIME_WAIT sockets and exhaust the ephemeral ports.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd -P)
home=$repo/dist/target/stasis
[ -x "$home/bin/stasis" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
dir=$repo/bench/target/coordinator-$$
mkdir -p "$dir"
export STASIS_TMPDIR=$dir

"$home/bin/stasis" coordinator --port 0 --port-file "$dir/port" --quiet > "$dir/coordinator.log" 2>&1 &
coordinator=$!
trap 'kill $coordinator 2>/dev/null || true' EXIT
until [ -s "$dir/port" ]; do
    kill -0 $coordinator 2>/dev/null || { cat "$dir/coordinator.log"; exit 1; }
    sleep 0.1
done
port=$(cat "$dir/port")
echo "bench: coordinator on 127.0.0.1:$port, $(nproc) CPUs, results in $dir" >&2
"$java" -cp "$home/lib/*" "$repo/bench/CoordinatorBench.java" 127.0.0.1 "$port" \
    "$dir/stasis-$(id -u)/coord-$port/secret" "$dir" > "$dir/bench.out"

# value KEY FIELD: the FIELD-th word of the line starting with KEY
value() { awk -v k="$1" -v f="$2" 'index($0, k) == 1 { print $f }' "$dir/bench.out"; }

printf '%-46s %10s %10s\n' "coordinator, loopback" "median" "p99"
printf '%-46s %10s\n' "authenticated connections/s, 1 client" "$(value "connections/s (1 client)" 4)"
printf '%-46s %10s\n' "authenticated connections/s, 4 clients" "$(value "connections/s (4 clients)" 4)"
for n in 1 64; do
    printf '%-46s %10s %10s\n' "barrier round trip, $n process(es), ms" "$(value "barrier $n " 4)" "$(value "barrier $n " 6)"
done
for n in 1 64; do
    printf '%-46s %10s %10s\n' "blocking checkpoint, $n fake process(es), ms" \
        "$(value "checkpoint $n " 4)" "$(value "checkpoint $n " 6)"
done
