package io.stasis.cli.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking dropped archives: content-addressed, never outside the cache. */
class PluginArchivesTest {

    @TempDir
    Path tmp;

    @Test
    void aZipIsUnpackedOnceUnderANameThatChangesWithItsContent() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        Path zip = zip(dir.resolve("p.zip"), "plugin.properties", "plugin.id=p\n");
        PluginArchives archives = new PluginArchives(tmp.resolve("cache"));
        Path first = ready(archives.scan(dir)).loadPath();
        assertThat(first.getParent()).isEqualTo(tmp.resolve("cache"));
        assertThat(first.getFileName().toString()).matches("p-[0-9a-f]{16}");
        assertThat(ready(archives.scan(dir)).loadPath()).isEqualTo(first);

        zip(zip, "plugin.properties", "plugin.id=p\nplugin.version=2\n");
        Path second = ready(archives.scan(dir)).loadPath();
        assertThat(second).isNotEqualTo(first);
        assertThat(second.resolve("plugin.properties")).content().contains("plugin.version=2");
        try (var entries = Files.list(tmp.resolve("cache"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).as("no temporary directory left")
                    .noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void anEntryPointingOutsideTheArchiveIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        zip(dir.resolve("evil.zip"), "../../escaped", "x");
        List<PluginArchives.Entry> entries = new PluginArchives(tmp.resolve("cache")).scan(dir);
        assertThat(entries).singleElement().isInstanceOfSatisfying(PluginArchives.Unusable.class, u -> assertThat(
                u.problem()).isEqualTo("cannot unpack it: entry '../../escaped' points outside the archive"));
        assertThat(tmp.resolve("escaped")).doesNotExist();
    }

    private static PluginCandidate ready(List<PluginArchives.Entry> entries) {
        assertThat(entries).hasSize(1);
        return ((PluginArchives.Ready) entries.get(0)).candidate();
    }

    private static Path zip(Path file, String name, String content) throws Exception {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }
}
