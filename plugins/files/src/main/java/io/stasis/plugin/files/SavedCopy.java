package io.stasis.plugin.files;

import io.stasis.api.plugin.RestartRefusedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Puts a file back as a FILE_STATE record saved it: written to a temporary name in the same directory, synced,
 * renamed over the path (so a crash leaves the old file or the new one, never half of one), then given the
 * recorded modification time, so that a second restart from the same image does not see it as changed.
 */
final class SavedCopy {

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private SavedCopy() {
    }

    /**
     * @throws RestartRefusedException the file cannot be written back (its directory is gone, no permission)
     */
    static void restore(FileState s) {
        Path target = Path.of(s.path());
        Path dir = target.getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(dir, "." + target.getFileName() + ".", ".stasis");
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer data = s.copy().orElseThrow().duplicate();
                while (data.hasRemaining()) {
                    out.write(data);
                }
                out.force(true);
            }
            Files.setPosixFilePermissions(temporary, permissions(s.mode()));
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
            Files.setLastModifiedTime(target, FileTime.from(s.mtimeNanos(), TimeUnit.NANOSECONDS));
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new RestartRefusedException("cannot put back " + s.path() + " from the image: " + e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the refusal above says what matters; a stray temporary file is named after the file
                }
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(BITS[bit]);
            }
        }
        return set;
    }
}
