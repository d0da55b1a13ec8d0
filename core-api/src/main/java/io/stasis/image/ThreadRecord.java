package io.stasis.image;

/** One 176-byte record of the THREADS section. */
public record ThreadRecord(
        int tid,
        int flags,
        long fsBase,
        long tidAddress,
        long robustHead,
        long robustLength,
        long rseqAddress,
        int rseqLength,
        int rseqSignature,
        ThreadContext context,
        long altstackSp,
        long altstackSize,
        int altstackFlags,
        String name) {

    public static final int FLAG_MAIN = 1;
    public static final int FLAG_CHECKPOINT_THREAD = 1 << 1;

    public boolean isMain() {
        return (flags & FLAG_MAIN) != 0;
    }

    public boolean isCheckpointThread() {
        return (flags & FLAG_CHECKPOINT_THREAD) != 0;
    }
}
