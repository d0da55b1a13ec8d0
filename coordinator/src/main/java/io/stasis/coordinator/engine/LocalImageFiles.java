package io.stasis.coordinator.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** {@link ImageFiles} on the file system this coordinator sees. */
public final class LocalImageFiles implements ImageFiles {

    private final System.Logger log = System.getLogger(LocalImageFiles.class.getName());

    @Override
    public void discardTemporary(ProcessRecord process, String checkpointDir) {
        ImagePaths.of(process, checkpointDir).ifPresent(paths -> {
            try {
                if (Files.isRegularFile(paths.temporary(), LinkOption.NOFOLLOW_LINKS)
                        && Files.deleteIfExists(paths.temporary())) {
                    log.log(Level.INFO, "removed " + paths.temporary() + ", left by " + process.describe());
                }
            } catch (IOException e) {
                log.log(Level.WARNING, "cannot remove " + paths.temporary() + ", left by " + process.describe()
                        + ": " + e.getMessage());
            }
        });
    }

    @Override
    public Optional<ImageInfo> completeCommit(ProcessRecord process, String checkpointDir) {
        Optional<ImagePaths> found = ImagePaths.of(process, checkpointDir);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ImagePaths paths = found.get();
        try {
            if (Files.isRegularFile(paths.temporary(), LinkOption.NOFOLLOW_LINKS)) {
                Files.move(paths.temporary(), paths.image(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(paths.image().getParent());
                log.log(Level.INFO, "renamed " + paths.temporary() + " into place for " + process.describe());
            }
            long size = Files.size(paths.image());
            return Optional.of(new ImageInfo(process.host(), process.program(), process.pid(), process.uniqueId(),
                    paths.image().toString(), size, 0, 0));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.log(Level.WARNING, "cannot put the image of " + process.describe() + " in place: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The rename is durable only once the directory is: what the process would have done after it. */
    private void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            log.log(Level.DEBUG, () -> "cannot fsync " + directory + ": " + e.getMessage());
        }
    }
}
