package io.stasis.image;

import java.util.ArrayList;
import java.util.List;

/** The THREADS section: a count and fixed 176-byte records. */
final class ThreadsSectionReader {

    private static final int COMM_LENGTH = 16;

    private ThreadsSectionReader() {
    }

    static List<ThreadRecord> read(ImageInput in) {
        long count = Integer.toUnsignedLong(in.u32());
        if (count * ImageFormat.THREAD_RECORD_SIZE != in.remaining()) {
            throw in.malformed(count + " thread records of " + ImageFormat.THREAD_RECORD_SIZE
                    + " bytes do not fill its " + in.remaining() + " bytes");
        }
        List<ThreadRecord> threads = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            threads.add(readOne(in));
        }
        return threads;
    }

    private static ThreadRecord readOne(ImageInput in) {
        int tid = in.u32();
        int flags = in.u32();
        long fsBase = in.u64();
        long tidAddress = in.u64();
        long robustHead = in.u64();
        long robustLength = in.u64();
        long rseqAddress = in.u64();
        int rseqLength = in.u32();
        int rseqSignature = in.u32();
        ThreadContext context = new ThreadContext(in.u64(), in.u64(), in.u64(), in.u64(), in.u64(), in.u64(),
                in.u64(), in.u64());
        long altstackSp = in.u64();
        long altstackSize = in.u64();
        int altstackFlags = in.u32();
        in.u32();
        String name = in.paddedString(COMM_LENGTH);
        in.skip(16);
        return new ThreadRecord(tid, flags, fsBase, tidAddress, robustHead, robustLength, rseqAddress, rseqLength,
                rseqSignature, context, altstackSp, altstackSize, altstackFlags, name);
    }
}
