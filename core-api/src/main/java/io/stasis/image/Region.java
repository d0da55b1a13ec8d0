package io.stasis.image;

/** One memory region (a {@code /proc/self/maps} line) of the REGIONS section. */
public record Region(
        long start,
        long end,
        int prot,
        int flags,
        long fileOffset,
        long inode,
        int devMajor,
        int devMinor,
        String name) {

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    public static final int FLAG_SHARED = 1;
    public static final int FLAG_FILE = 1 << 1;
    public static final int FLAG_STACK = 1 << 2;
    public static final int FLAG_HEAP = 1 << 3;
    public static final int FLAG_VDSO = 1 << 4;
    public static final int FLAG_VVAR = 1 << 5;
    public static final int FLAG_VVAR_VCLOCK = 1 << 6;
    public static final int FLAG_HAS_DATA = 1 << 7;
    public static final int FLAG_REMAP_FILE = 1 << 8;

    private static final String[] FLAG_NAMES = {
        "shared", "file", "stack", "heap", "vdso", "vvar", "vvar_vclock", "data", "remap"
    };

    public long size() {
        return end - start;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean contains(long address, long length) {
        return Long.compareUnsigned(address, start) >= 0
                && Long.compareUnsigned(length, end - address) <= 0
                && Long.compareUnsigned(address, end) < 0;
    }

    /** Like the maps file: {@code rwxp}, {@code r--s}. */
    public String permissions() {
        return new String(new char[] {
            (prot & PROT_READ) != 0 ? 'r' : '-',
            (prot & PROT_WRITE) != 0 ? 'w' : '-',
            (prot & PROT_EXEC) != 0 ? 'x' : '-',
            has(FLAG_SHARED) ? 's' : 'p'
        });
    }

    /** Names of the set flag bits, e.g. {@code "file,data"}; unknown bits as {@code bitN}. */
    public String flagNames() {
        StringBuilder names = new StringBuilder();
        for (int bit = 0; bit < 32; bit++) {
            if ((flags & (1 << bit)) == 0) {
                continue;
            }
            if (names.length() > 0) {
                names.append(',');
            }
            names.append(bit < FLAG_NAMES.length ? FLAG_NAMES[bit] : "bit" + bit);
        }
        return names.toString();
    }
}
