package io.stasis.image;

/** The kernel's {@code mm} fields (prctl PR_SET_MM), which restart must set back. */
public record MemoryLayout(
        long startCode,
        long endCode,
        long startData,
        long endData,
        long startBrk,
        long brk,
        long startStack,
        long argStart,
        long argEnd,
        long envStart,
        long envEnd) {
}
