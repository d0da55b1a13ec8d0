package io.stasis.plugin.files;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * FIFO records (kind 4), written by plugins/files/native/files_fifo.c: a named pipe, how it was opened, and for
 * the first read end of it in a process the bytes that were in flight.
 *
 * <pre>
 * offset  size  field
 *  0      8     st_dev at checkpoint        } the name-service key files:fifo:&lt;dev&gt;:&lt;ino&gt;
 *  8      8     st_ino at checkpoint        }
 * 16      4     open flags (fdinfo "flags:", octal there)
 * 20      4     st_mode (its permissions recreate a vanished fifo)
 * 24      4     capacity (F_GETPIPE_SZ)
 * 28      4     flags: 1 = holds the bytes in flight, 2 = the fifo had been unlinked
 * 32      4     alias_of: a lower descriptor of the same open file description, or -1
 * 36      4     path_length (1..4095)
 * 40      8     data_length
 * 48            path (no NUL), then data_length bytes in flight
 * </pre>
 */
final class FifoRecords implements RecordDescriber {

    static final int HEAD_BYTES = 48;
    static final int HOLDS_DATA = 1;
    static final int DELETED = 2;
    private static final int MAX_PATH = 4095;
    private static final int O_ACCMODE = 03;
    private static final int O_WRONLY = 01;
    private static final int O_RDWR = 02;
    private static final int O_NONBLOCK = 04000;
    private static final int O_APPEND = 02000;

    @Override
    public String describe(int fd, ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < HEAD_BYTES) {
            throw new IllegalArgumentException("fifo record of " + b.remaining() + " bytes, shorter than its "
                    + HEAD_BYTES + "-byte head");
        }
        long device = b.getLong();
        long inode = b.getLong();
        int openFlags = b.getInt();
        int mode = b.getInt();
        long capacity = Integer.toUnsignedLong(b.getInt());
        int flags = b.getInt();
        int aliasOf = b.getInt();
        long pathLength = Integer.toUnsignedLong(b.getInt());
        long dataLength = b.getLong();
        if (pathLength == 0 || pathLength > MAX_PATH) {
            throw new IllegalArgumentException("fifo record with a path of " + pathLength + " bytes");
        }
        if (dataLength < 0 || pathLength + dataLength != b.remaining()) {
            throw new IllegalArgumentException("fifo record of " + payload.remaining() + " bytes does not hold its "
                    + pathLength + "-byte path and " + Long.toUnsignedString(dataLength) + " bytes in flight");
        }
        byte[] path = new byte[(int) pathLength];
        b.get(path);

        List<String> parts = new ArrayList<>();
        parts.add("fifo " + new String(path, StandardCharsets.UTF_8) + ((flags & DELETED) != 0 ? " (deleted)" : ""));
        parts.add(access(openFlags));
        if (aliasOf >= 0) {
            parts.add("same open file description as fd " + aliasOf);
            return String.join(", ", parts);
        }
        parts.add("mode " + Integer.toOctalString(mode & 07777));
        parts.add("capacity " + capacity);
        if ((flags & HOLDS_DATA) != 0) {
            parts.add(dataLength + " bytes in flight");
        }
        parts.add("dev " + Long.toUnsignedString(device) + " ino " + Long.toUnsignedString(inode));
        return String.join(", ", parts);
    }

    private static String access(int openFlags) {
        String access = switch (openFlags & O_ACCMODE) {
            case O_WRONLY -> "write";
            case O_RDWR -> "read-write";
            default -> "read";
        };
        if ((openFlags & O_NONBLOCK) != 0) {
            access += " nonblock";
        }
        if ((openFlags & O_APPEND) != 0) {
            access += " append";
        }
        return access;
    }
}
