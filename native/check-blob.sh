#!/bin/sh
# The restorer blob runs from a copy after the rest of stasis-restart is unmapped:
# its object may hold code only in the section stasis_blob, and no relocation may
# point outside that section.
set -eu
obj=$1
sections=$(objdump -h "$obj" | awk '$1 ~ /^[0-9]+$/ {print $2, $3}')
echo "$sections" | while read -r name size; do
    case $name in
        .data*|.rodata*|.bss*|.text*)
            if [ $((0x$size)) -ne 0 ]; then
                echo "check-blob: $obj has ${size} bytes in $name, outside stasis_blob" >&2
                exit 1
            fi ;;
    esac
done
outside=$(objdump -r -j stasis_blob "$obj" | awk 'NR > 5 && NF >= 3 {print $3}' |
    sed 's/[-+]0x[0-9a-f]*$//' | grep -v -x -E 'stasis_blob|blob_thread_start|blob_resume|blob_clone' || true)
if [ -n "$outside" ]; then
    echo "check-blob: stasis_blob refers outside itself: $outside" >&2
    exit 1
fi
