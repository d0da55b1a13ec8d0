package io.stasis.plugin.files;

import java.util.ArrayList;
import java.util.List;

/** Linux x86-64 open(2) flags as {@code /proc/PID/fdinfo} shows them, for people. */
final class OpenFlags {

    static final int ACCMODE = 3;
    static final int RDONLY = 0;
    static final int WRONLY = 1;
    static final int RDWR = 2;

    private static final int[] BITS = {02000, 04000, 04010000, 010000, 040000, 01000000, 02000000};
    private static final String[] NAMES = {"O_APPEND", "O_NONBLOCK", "O_SYNC", "O_DSYNC", "O_DIRECT", "O_NOATIME",
        "O_CLOEXEC"};

    private OpenFlags() {
    }

    static boolean writable(int flags) {
        return (flags & ACCMODE) != RDONLY;
    }

    static String describe(int flags) {
        List<String> names = new ArrayList<>();
        names.add(switch (flags & ACCMODE) {
            case RDONLY -> "O_RDONLY";
            case WRONLY -> "O_WRONLY";
            case RDWR -> "O_RDWR";
            default -> "O_ACCMODE";
        });
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) == BITS[i] && !(BITS[i] == 010000 && (flags & 04010000) == 04010000)) {
                names.add(NAMES[i]);
            }
        }
        return String.join("|", names);
    }
}
