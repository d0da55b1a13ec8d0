package io.stasis.coordinator.script;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One directory per checkpoint generation, {@code <checkpoint dir>/generation-<n>/}, of which the newest
 * {@code keep} complete ones are kept. Images of one process have the same name in every generation, so in
 * a single directory a checkpoint killed half-way (some images renamed, others not) would leave a mix of two
 * generations that no restart can tell apart; in its own directory an unfinished generation is simply
 * incomplete and the previous one is untouched.
 *
 * <p>A generation is complete once its directory holds the restart script: the coordinator writes it
 * after every image was renamed into place (the commit point). Only files Stasis writes are ever deleted.
 */
public final class GenerationDirectories {

    private static final String PREFIX = "generation-";
    private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d{1,18})");
    private static final Pattern OURS = Pattern.compile(
            "(ckpt_.*\\.stasis|\\.ckpt_.*\\.stasis(\\.[0-9]+)?\\.tmp|stasis_restart_script.*\\.sh|\\.stasis_restart_script.*"
                    + "|stasis_batch_.*)");

    /** A generation's directory and number. */
    public record Generation(long number, Path directory) {
        /** The restart script of a complete generation. */
        public Path restartScript() {
            return directory.resolve(RestartScriptWriter.FILE_NAME);
        }
    }

    private final Path root;
    private final int keep;
    private final System.Logger log = System.getLogger(GenerationDirectories.class.getName());

    /** @param keep how many complete generations survive a new one, at least 1 */
    public GenerationDirectories(Path root, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one generation: " + keep);
        }
        this.root = root;
        this.keep = keep;
    }

    /** The directory generation {@code number} is written to, created (mode 0700) and emptied of a stale try. */
    public Path prepare(long number) throws IOException {
        Path dir = root.resolve(PREFIX + number);
        Files.createDirectories(root);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            // left by an earlier run that restarted from an older generation: not the valid one any more
            deleteOurFiles(dir);
        }
        return dir;
    }

    /** After generation {@code committed} completed: removes every older one but the newest {@code keep - 1}. */
    public void prune(long committed) {
        List<Generation> older = new ArrayList<>();
        for (Generation g : list(root)) {
            if (g.number() < committed) {
                older.add(g);
            }
        }
        older.sort(Comparator.comparingLong(Generation::number).reversed());
        int kept = 0;
        for (Generation g : older) {
            if (kept < keep - 1 && complete(g)) {
                kept++;
                continue;
            }
            try {
                deleteOurFiles(g.directory());
                Files.deleteIfExists(g.directory());
            } catch (IOException e) {
                log.log(System.Logger.Level.WARNING, "cannot remove old checkpoint " + g.directory() + ": " + e);
            }
        }
    }

    /** The newest complete generation under {@code root}, if any. */
    public static Optional<Generation> latestComplete(Path root) {
        return list(root).stream().filter(GenerationDirectories::complete)
                .max(Comparator.comparingLong(Generation::number));
    }

    /** Every {@code generation-<n>} directory under {@code root}, complete or not. */
    public static List<Generation> list(Path root) {
        List<Generation> all = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return all;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                Matcher m = NAME.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    all.add(new Generation(Long.parseLong(m.group(1)), entry));
                }
            }
        } catch (IOException e) {
            return all;
        }
        all.sort(Comparator.comparingLong(Generation::number));
        return all;
    }

    private static boolean complete(Generation g) {
        return Files.exists(g.restartScript());
    }

    private static void deleteOurFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (OURS.matcher(entry.getFileName().toString()).matches()
                        && !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }
}
