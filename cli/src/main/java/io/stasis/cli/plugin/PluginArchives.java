package io.stasis.cli.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Turns the entries of the plugins directory into {@link PluginCandidate}s. A zip is unpacked, and a jar's
 * {@code native/} entries extracted, into the cache directory under a name derived from the archive's
 * content: the fragment must stay where {@code LD_PRELOAD} names it for as long as the program (and any
 * image of it) lives, and the plugins directory itself may be read-only. Unpacking goes to a temporary
 * name first, so concurrent launches never see half a plugin.
 */
final class PluginArchives {

    /** Larger than any sane plugin; guards against a zip bomb filling the disk. */
    private static final long MAX_UNPACKED = 256L << 20;

    private final Path cacheDir;

    PluginArchives(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** A candidate, or why the entry cannot be one. */
    sealed interface Entry {
        Path source();
    }

    record Ready(PluginCandidate candidate) implements Entry {
        @Override
        public Path source() {
            return candidate.source();
        }
    }

    record Unusable(Path source, String problem) implements Entry {
    }

    /**
     * The entries of {@code pluginsDir} in name order: directories, {@code *.zip}, {@code *.jar}. Hidden
     * entries and other files (notes, PF4J's {@code enabled.txt}) are not plugins.
     */
    List<Entry> scan(Path pluginsDir) {
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(pluginsDir)) {
            dir.forEach(paths::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plugins directory " + pluginsDir + ": " + e.getMessage(), e);
        }
        paths.sort(Comparator.comparing(Path::toString));
        List<Entry> entries = new ArrayList<>();
        for (Path path : paths) {
            String name = path.getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            if (name.startsWith(".")) {
                continue;
            }
            if (Files.isDirectory(path)) {
                entries.add(directory(path));
            } else if (lower.endsWith(".zip")) {
                entries.add(zip(path));
            } else if (lower.endsWith(".jar")) {
                entries.add(jar(path));
            }
        }
        return entries;
    }

    private static Entry directory(Path dir) {
        if (!Files.isRegularFile(dir.resolve("plugin.properties"))) {
            return new Unusable(dir, "no plugin.properties in the directory");
        }
        return new Ready(new PluginCandidate(dir, dir, dir.resolve("native")));
    }

    private Entry zip(Path zip) {
        try {
            Path unpacked = unpack(zip, entry -> true);
            if (!Files.isRegularFile(unpacked.resolve("plugin.properties"))) {
                return new Unusable(zip, "no plugin.properties at the top of the zip");
            }
            return new Ready(new PluginCandidate(zip, unpacked, unpacked.resolve("native")));
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return new Unusable(zip, "cannot unpack it: " + e.getMessage());
        }
    }

    private Entry jar(Path jar) {
        try {
            Path unpacked = unpack(jar, entry -> entry.startsWith("native/"));
            return new Ready(new PluginCandidate(jar, jar, unpacked.resolve("native")));
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return new Unusable(jar, "cannot extract its native/ directory: " + e.getMessage());
        }
    }

    /** {@code <cache>/<archive name>-<content hash>/}, unpacked once. */
    private Path unpack(Path archive, java.util.function.Predicate<String> wanted) throws IOException {
        String stem = archive.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path target = cacheDir.resolve(stem + "-" + contentHash(archive));
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(cacheDir);
        Path temporary = Files.createTempDirectory(cacheDir, "." + stem + "-");
        try {
            extract(archive, temporary, wanted);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                // another launch unpacked the same archive first: its copy is identical
            }
        } finally {
            deleteTree(temporary);
        }
        return target;
    }

    private static void extract(Path archive, Path into, java.util.function.Predicate<String> wanted)
            throws IOException {
        long total = 0;
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String name = entry.getName();
                Path out = into.resolve(name).normalize();
                if (name.startsWith("/") || name.contains("\\") || !out.startsWith(into)) {
                    throw new IllegalArgumentException("entry '" + name + "' points outside the archive");
                }
                if (!wanted.test(name)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    total += Files.copy(in, out);
                }
                if (total > MAX_UNPACKED) {
                    throw new IllegalArgumentException("it unpacks to more than " + (MAX_UNPACKED >> 20) + " MiB");
                }
            }
        }
    }

    private static String contentHash(Path file) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
