#!/bin/sh
# The restorer blob runs from a copy after the rest of stasis-restart is unmapped:
# its object may hold code only in the section stasis_blob, and no relocation may
# point outside that section.
set -e
obj=$1
bad=$(objdump -h "$obj" | awk '$2 ~ /^\.(data|rodata|bss)/ && strtonum("0x"$3) > 0 {print $2}')
if [ -n "$bad" ]; then echo "check-blob: $obj has data in $bad" >&2; exit 1; fi
text=$(objdump -h "$obj" | awk '$2 == ".text" && strtonum("0x"$3) > 0 {print $2}')
if [ -n "$text" ]; then echo "check-blob: $obj has code outside stasis_blob" >&2; exit 1; fi
outside=$(objdump -r -j stasis_blob "$obj" | awk 'NR>5 && NF>=3 {print $3}' | grep -v '^stasis_blob' \
  | grep -v -E '^(blob_thread_start|blob_resume|blob_clone)' || true)
if [ -n "$outside" ]; then echo "check-blob: stasis_blob refers outside itself: $outside" >&2; exit 1; fi
exit 0
