package io.stasis.plugin.files;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * A FILE_STATE record: a regular file a process had open, as it was at the checkpoint
 * ({@code struct files_state_head} in files.h, then the path, then the saved copy if there is one).
 *
 * @param copy the file's contents at the checkpoint, when they were saved (read-only)
 */
record FileState(int fd, String path, long device, long inode, long size, long mtimeNanos, long offset,
        int openFlags, int mode, int flags, Optional<ByteBuffer> copy) {

    static final int HEAD = 56;
    static final int SAVED = 1;
    static final int TOO_BIG = 2;
    private static final int MAX_PATH = 4096;

    /**
     * @throws IllegalArgumentException the payload is not a FILE_STATE record
     */
    static FileState parse(int fd, ByteBuffer payload) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < HEAD) {
            throw new IllegalArgumentException(in.remaining() + " bytes, shorter than its " + HEAD + "-byte head");
        }
        long device = in.getLong();
        long inode = in.getLong();
        long size = in.getLong();
        long mtime = in.getLong();
        long offset = in.getLong();
        int openFlags = in.getInt();
        int mode = in.getInt();
        int pathLength = in.getInt();
        int flags = in.getInt();
        if (pathLength <= 0 || pathLength > MAX_PATH || pathLength > in.remaining()) {
            throw new IllegalArgumentException("path of " + Integer.toUnsignedString(pathLength) + " bytes");
        }
        byte[] pathBytes = new byte[pathLength];
        in.get(pathBytes);
        Optional<ByteBuffer> copy = Optional.empty();
        if ((flags & SAVED) != 0) {
            if (size < 0 || size != in.remaining()) {
                throw new IllegalArgumentException("a saved copy of " + in.remaining() + " bytes for a file of "
                        + Long.toUnsignedString(size));
            }
            copy = Optional.of(in.slice().asReadOnlyBuffer());
        } else if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the path");
        }
        return new FileState(fd, new String(pathBytes, StandardCharsets.UTF_8), device, inode, size, mtime, offset,
                openFlags, mode, flags, copy);
    }

    static String describe(int fd, ByteBuffer payload) {
        FileState s = parse(fd, payload);
        String saved = s.copy().isPresent() ? "saved copy"
                : (s.flags() & TOO_BIG) != 0 ? "too big to save" : "not saved";
        return "fd " + fd + ": file " + s.path() + ", " + s.size() + " bytes, modified " + s.modified() + ", offset "
                + s.offset() + ", " + OpenFlags.describe(s.openFlags()) + ", dev 0x" + Long.toHexString(s.device())
                + " ino " + Long.toUnsignedString(s.inode()) + ", " + saved;
    }

    /** The same record for a file that is now at {@code now} ({@code stasis restart --path-map}). */
    FileState at(String now) {
        return now.equals(path) ? this : new FileState(fd, now, device, inode, size, mtimeNanos, offset, openFlags, mode,
                flags, copy);
    }

    Instant modified() {
        return Instant.ofEpochSecond(Math.floorDiv(mtimeNanos, 1_000_000_000L),
                Math.floorMod(mtimeNanos, 1_000_000_000L));
    }

    boolean writable() {
        return OpenFlags.writable(openFlags);
    }
}
