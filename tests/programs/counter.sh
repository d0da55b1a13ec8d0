#!/bin/bash
# A bash counter made of builtins only (no child processes): prints 0, 1, 2, …
# up to an optional limit, spinning between numbers instead of running sleep(1).
limit=${1:--1}
declare -a seen
i=0
while [ "$limit" -lt 0 ] || [ "$i" -lt "$limit" ]; do
    seen[$i]=$((i * 3))
    [ "${seen[$i]}" -eq $((i * 3)) ] || { echo "lost state at $i"; exit 1; }
    echo "$i"
    i=$((i + 1))
    for ((spin = 0; spin < 20000; spin++)); do :; done
done
echo done
