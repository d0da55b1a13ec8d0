#!/bin/sh
# The core's C files must not include each other in a cycle: a module depends only on
# modules below it, so each one can be read (and tested) without the ones above.
# Edges are "X.c includes Y.h" between modules of DIR; tsort reports any loop.
set -u
dir=${1:-core}
edges=$(for c in "$dir"/*.c; do
    m=$(basename "$c" .c)
    for h in $(sed -n 's/^#include "\([a-z_0-9]*\)\.h".*/\1/p' "$c"); do
        if [ "$h" != "$m" ] && [ -f "$dir/$h.c" ]; then
            echo "$m $h"
        fi
    done
done)
loops=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null)
if [ -n "$loops" ]; then
    echo "check-includes: the modules of $dir include each other in a cycle:" >&2
    printf '%s\n' "$loops" >&2
    exit 1
fi
echo "check-includes: no cycle among the modules of $dir"
