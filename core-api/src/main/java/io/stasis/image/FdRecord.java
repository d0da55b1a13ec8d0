package io.stasis.image;

/**
 * One file descriptor of the FDS section. The drained pipe bytes stay in the file
 * ({@code dataOffset}, {@code dataLength}); {@link ImageData#fdData} reads them. {@code sameAs} is the
 * lowest descriptor sharing this one's open file description (a dup), or {@link #NOT_SHARED}.
 */
public record FdRecord(
        int fd,
        int kind,
        int openFlags,
        int fdFlags,
        long offset,
        long inode,
        long device,
        int mode,
        int sameAs,
        long shareId,
        String path,
        long dataOffset,
        long dataLength) {

    private static final int O_ACCMODE = 3;
    private static final int O_APPEND = 02000;
    private static final int O_NONBLOCK = 04000;
    private static final int FD_CLOEXEC = 1;
    /** fd_flags bit of a pipe read end whose writer had exited (no write end left anywhere). */
    private static final int NO_WRITER = 0x80000000;

    /** {@code sameAs} when this descriptor is not a duplicate of a lower one. */
    public static final int NOT_SHARED = -1;

    /** Whether this descriptor shares its open file description with descriptor {@link #sameAs()}. */
    public boolean isDuplicate() {
        return sameAs != NOT_SHARED;
    }

    /** {@code file}, {@code pipe-r}, … or {@code kind N} for one this reader does not know. */
    public String kindName() {
        return FdKind.of(kind).map(FdKind::shortName).orElse("kind " + Integer.toUnsignedString(kind));
    }

    /** Access mode and the flags that matter at restart, e.g. {@code "rw,append,cloexec"} or {@code "r,no-writer"}. */
    public String flagNames() {
        StringBuilder names = new StringBuilder(switch (openFlags & O_ACCMODE) {
            case 0 -> "r";
            case 1 -> "w";
            case 2 -> "rw";
            default -> "?";
        });
        if ((openFlags & O_APPEND) != 0) {
            names.append(",append");
        }
        if ((openFlags & O_NONBLOCK) != 0) {
            names.append(",nonblock");
        }
        if ((fdFlags & FD_CLOEXEC) != 0) {
            names.append(",cloexec");
        }
        if ((fdFlags & NO_WRITER) != 0) {
            names.append(",no-writer");
        }
        return names.toString();
    }
}
