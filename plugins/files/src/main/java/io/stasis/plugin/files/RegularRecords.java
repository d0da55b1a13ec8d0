package io.stasis.plugin.files;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** How {@code stasis inspect} shows UNLINKED and MEMFD records (files.h: files_unlinked_head, files_memfd_head). */
final class RegularRecords {

    private static final int UNLINKED_HEAD = 56;
    private static final int MEMFD_HEAD = 56;
    private static final int SHARE_LEADER = 1;
    private static final int MAP = 32;
    private static final int MAX_ALIASES = 64;
    private static final int MAX_MAPS = 64;
    private static final int MAX_NAME = 4096;

    private RegularRecords() {
    }

    static String describeUnlinked(int fd, ByteBuffer payload) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        need(in, UNLINKED_HEAD, "head");
        long offset = in.getLong();
        long size = in.getLong();
        int openFlags = in.getInt();
        int mode = in.getInt();
        int pathLength = in.getInt();
        int aliasCount = in.getInt();
        int sameFileAs = in.getInt();
        in.getInt();
        String share = share(in);
        List<Integer> aliases = aliases(in, aliasCount);
        String path = text(in, pathLength, "path");
        contents(in, size);
        return "fd " + fd + ": deleted file " + path + ", " + contentsText(size, sameFileAs) + ", offset " + offset
                + ", " + OpenFlags.describe(openFlags) + ", mode 0" + Integer.toOctalString(mode & 07777)
                + aliasText(aliases) + share;
    }

    static String describeMemfd(int fd, ByteBuffer payload) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        need(in, MEMFD_HEAD, "head");
        long offset = in.getLong();
        long size = in.getLong();
        int openFlags = in.getInt();
        int seals = in.getInt();
        int nameLength = in.getInt();
        int aliasCount = in.getInt();
        int mapCount = in.getInt();
        int sameFileAs = in.getInt();
        String share = share(in);
        if (mapCount < 0 || mapCount > MAX_MAPS) {
            throw new IllegalArgumentException(Integer.toUnsignedString(mapCount) + " mappings");
        }
        need(in, (long) mapCount * MAP, "mappings");
        List<String> maps = new ArrayList<>();
        for (int i = 0; i < mapCount; i++) {
            long start = in.getLong();
            long end = in.getLong();
            long fileOffset = in.getLong();
            int prot = in.getInt();
            int flags = in.getInt();
            maps.add(String.format("%x-%x %s%s%s%s at %d", start, end, (prot & 1) != 0 ? "r" : "-",
                    (prot & 2) != 0 ? "w" : "-", (prot & 4) != 0 ? "x" : "-", (flags & 1) != 0 ? "s" : "p",
                    fileOffset));
        }
        List<Integer> aliases = aliases(in, aliasCount);
        String name = text(in, nameLength, "name");
        contents(in, size);
        return "fd " + fd + ": memfd " + name + ", " + contentsText(size, sameFileAs) + ", offset " + offset + ", "
                + OpenFlags.describe(openFlags) + ", seals " + seals(seals)
                + (maps.isEmpty() ? "" : ", mapped " + String.join(", ", maps)) + aliasText(aliases) + share;
    }

    /** struct files_share: which family of processes shares the description, and whether this one leads. */
    private static String share(ByteBuffer in) {
        int pid = in.getInt();
        int holderFd = in.getInt();
        int flags = in.getInt();
        in.getInt();
        if (pid == 0 || (flags & SHARE_LEADER) != 0) {
            return ""; // its own, or shared with children that show it
        }
        return ", shared with pid " + pid + " (its fd " + holderFd + ")";
    }

    private static String seals(int seals) {
        String[] names = {"SEAL", "SHRINK", "GROW", "WRITE", "FUTURE_WRITE"};
        List<String> set = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if ((seals & (1 << i)) != 0) {
                set.add(names[i]);
            }
        }
        return set.isEmpty() ? "none" : String.join("|", set);
    }

    private static void need(ByteBuffer in, long bytes, String what) {
        if (in.remaining() < bytes) {
            throw new IllegalArgumentException("its " + what + " needs " + bytes + " bytes, " + in.remaining()
                    + " left");
        }
    }

    private static List<Integer> aliases(ByteBuffer in, int count) {
        if (count < 0 || count > MAX_ALIASES) {
            throw new IllegalArgumentException(Integer.toUnsignedString(count) + " aliases");
        }
        need(in, 4L * count, "aliases");
        List<Integer> aliases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            aliases.add(in.getInt());
        }
        return aliases;
    }

    private static String text(ByteBuffer in, int length, String what) {
        if (length < 0 || length > MAX_NAME) {
            throw new IllegalArgumentException(what + " of " + Integer.toUnsignedString(length) + " bytes");
        }
        need(in, length, what);
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void contents(ByteBuffer in, long size) {
        if (size < 0 || size != in.remaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes of contents for a file of "
                    + Long.toUnsignedString(size));
        }
    }

    private static String contentsText(long size, int sameFileAs) {
        return sameFileAs >= 0 ? "same file as fd " + sameFileAs : size + " bytes saved";
    }

    private static String aliasText(List<Integer> aliases) {
        return aliases.isEmpty() ? "" : ", also fd " + aliases.stream().map(String::valueOf)
                .reduce((a, b) -> a + ", " + b).orElse("");
    }
}
