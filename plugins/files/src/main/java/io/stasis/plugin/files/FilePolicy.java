package io.stasis.plugin.files;

import io.stasis.api.plugin.RestartRefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Whether the regular files the processes had open are still the ones they had, before a restart (docs/files.md):
 * <ul>
 * <li>a file that is gone, or is no longer a regular file, has changed;</li>
 * <li>a file with a saved copy has changed when its contents differ from the copy;</li>
 * <li>a file opened read-only has changed when its size or modification time differ;</li>
 * <li>a file opened for writing, without a copy, has changed when it is shorter than it was: the process
 * itself usually wrote on after the checkpoint before it died, and it writes that part again after restart.</li>
 * </ul>
 * Changed files are refused, naming each, unless restoring was asked for and each has a saved copy, in which
 * case they are all put back; nothing is touched when anything is refused.
 */
final class FilePolicy {

    private FilePolicy() {
    }

    /**
     * @param states   every FILE_STATE record of the images being restarted
     * @param restore  {@code --restore-files} or {@code files.restore-files}
     * @param notices  where to say what was put back
     * @throws RestartRefusedException a file changed and cannot (or may not) be put back
     */
    static void enforce(List<FileState> states, boolean restore, Consumer<String> notices) {
        List<String> refusals = new ArrayList<>();
        List<FileState> toRestore = new ArrayList<>();
        for (FileState s : byPath(states).values()) {
            Optional<String> change = change(s);
            if (change.isEmpty()) {
                continue;
            }
            if (restore && s.copy().isPresent()) {
                toRestore.add(s);
            } else {
                refusals.add(change.get() + "; " + (s.copy().isPresent()
                        ? "--restore-files puts back the saved copy"
                        : "it has no saved copy (save it with files.save-open-files)"));
            }
        }
        if (!refusals.isEmpty()) {
            throw new RestartRefusedException(String.join("; ", refusals));
        }
        for (FileState s : toRestore) {
            SavedCopy.restore(s);
            notices.accept("put back " + s.path() + " as it was at the checkpoint (" + s.size() + " bytes)");
        }
    }

    /** One record per path: the processes of one checkpoint agree on it; one with a copy is preferred. */
    private static Map<String, FileState> byPath(List<FileState> states) {
        Map<String, FileState> chosen = new LinkedHashMap<>();
        for (FileState s : states) {
            FileState before = chosen.get(s.path());
            if (before == null || before.copy().isEmpty() && s.copy().isPresent()) {
                chosen.put(s.path(), s);
            }
        }
        return chosen;
    }

    /** What changed since the checkpoint, as the rest of a sentence starting with the path; empty if nothing. */
    static Optional<String> change(FileState s) {
        Path path = Path.of(s.path());
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.of(s.path() + " was deleted since the checkpoint");
        } catch (IOException e) {
            return Optional.of(s.path() + " cannot be checked since the checkpoint (" + e.getMessage() + ")");
        }
        if (!now.isRegularFile()) {
            return Optional.of(s.path() + " is no longer a regular file");
        }
        String changed = s.path() + " changed since the checkpoint ";
        if (now.size() != s.size() && (s.copy().isPresent() || !s.writable() || now.size() < s.size())) {
            return Optional.of(changed + "(size " + s.size() + " → " + now.size() + ")");
        }
        if (s.copy().isPresent()) {
            return sameContents(path, s.copy().get()) ? Optional.empty() : Optional.of(changed + "(contents)");
        }
        long mtime = now.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        if (!s.writable() && mtime != s.mtimeNanos()) {
            return Optional.of(changed + "(modified " + s.modified() + " → " + FileTime.from(mtime,
                    TimeUnit.NANOSECONDS).toInstant() + ")");
        }
        return Optional.empty();
    }

    private static boolean sameContents(Path path, ByteBuffer copy) {
        ByteBuffer expected = copy.duplicate();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (true) {
                buffer.clear();
                int n = in.read(buffer);
                if (n < 0) {
                    return !expected.hasRemaining();
                }
                buffer.flip();
                if (n > expected.remaining()) {
                    return false;
                }
                ByteBuffer part = expected.slice().limit(n);
                if (!part.equals(buffer)) {
                    return false;
                }
                expected.position(expected.position() + n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
