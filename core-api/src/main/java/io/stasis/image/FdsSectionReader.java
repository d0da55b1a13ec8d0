package io.stasis.image;

import java.util.ArrayList;
import java.util.List;

/** The FDS section; drained pipe data is skipped and located, not loaded. */
final class FdsSectionReader {

    private FdsSectionReader() {
    }

    static List<FdRecord> read(ImageInput in) {
        long count = Integer.toUnsignedLong(in.u32());
        List<FdRecord> fds = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            int fd = in.u32();
            int kind = in.u32();
            int openFlags = in.u32();
            int fdFlags = in.u32();
            long offset = in.u64();
            long inode = in.u64();
            long device = in.u64();
            int mode = in.u32();
            int sameAs = in.u32();
            long shareId = in.u64();
            String path = in.str();
            long dataLength = Integer.toUnsignedLong(in.u32());
            long dataOffset = in.position();
            in.skip(dataLength);
            fds.add(new FdRecord(fd, kind, openFlags, fdFlags, offset, inode, device, mode, sameAs, shareId, path, dataOffset,
                    dataLength));
        }
        return fds;
    }
}
