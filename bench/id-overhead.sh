#!/bin/bash
# The cost of pid-virt's wrappers (DESIGN: wrapped calls cost at most a table
# look-up; read/write/poll are never wrapped): ten million rounds of getpid() and
# kill(getpid(), 0), natively and under `stasis launch`, the best of five each.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
loop=$repo/native/target/test-programs/idloop
rounds=${1:-10000000}
[ -x "$loop" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
dir=$(mktemp -d)
export STASIS_TMPDIR=$dir
export STASIS_COORD_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
best() { sort -n | head -1; }
native=$(for i in 1 2 3 4 5; do "$loop" "$rounds" | awk '{print $2}'; done | best)
under=$(for i in 1 2 3 4 5; do "$repo/bin/stasis" launch "$loop" "$rounds" | awk '{print $2}'; done | best)
without=$(for i in 1 2 3 4 5; do "$repo/bin/stasis" launch --disable pid-virt "$loop" "$rounds" | awk '{print $2}'; done | best)
printf '%-34s %10s\n' "getpid() + kill(pid, 0), per round" "ns"
printf '%-34s %10s\n' "native" "$native"
printf '%-34s %10s   %s\n' "stasis launch (all plugins)" "$under" "$(python3 -c "print(f'{($under - $native) / $native * 100:+.1f}%')")"
printf '%-34s %10s   %s\n' "stasis launch --disable pid-virt" "$without" "$(python3 -c "print(f'{($without - $native) / $native * 100:+.1f}%')")"
rm -rf "$dir"

# Instructions (callgrind: deterministic, user space only) per round with the
# wrappers preloaded, from the difference of two run lengths (start-up cancels out).
if command -v valgrind >/dev/null 2>&1; then
    lib=$repo/dist/target/stasis/lib/native
    count() {
        LD_PRELOAD=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$loop" "$2" 2>&1 |
            awk '/Collected/ {print $4}'
    }
    per_round() {
        python3 -c "print(f'{($(count "$1" 200000) - $(count "$1" 100000)) / 100000:.1f}')"
    }
    printf '%-34s %10s\n' "instructions per round" "$(per_round "")"
    printf '%-34s %10s\n' "  with libstasis + pid-virt" "$(per_round "$lib/libstasis.so:$lib/libstasis_pidvirt.so")"
fi
