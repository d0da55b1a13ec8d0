package io.stasis.tests.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository explains itself: every built-in plugin has its README and its row in the table of who
 * restores what, and no file sends a reader to notes outside the repository.
 */
class DocsStandAloneTest {

    private static final Path REPO = Path.of(System.getProperty("stasis.repo", "..")).toAbsolutePath().normalize();
    private static final Pattern PLUGIN_MODULE = Pattern.compile("<module>plugins/([^<]+)</module>");
    /** Notes that live beside the repository, for its developers only, and the name they give the talk it came from. */
    private static final Pattern OUTSIDE = Pattern.compile("\\.\\./shared|DESIGN\\.md|\\bthe seed\\b|\\bseed's\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target");

    @Test
    void everyBuiltInPluginHasAReadmeAndARowInTheOwnershipTable() throws IOException {
        String architecture = Files.readString(REPO.resolve("docs/architecture.md"));
        String pluginsDoc = Files.readString(REPO.resolve("docs/plugins.md"));
        List<String> ids = builtInPlugins();
        assertThat(ids).isNotEmpty();
        for (String id : ids) {
            assertThat(REPO.resolve("plugins").resolve(id).resolve("README.md")).as("plugins/%s/README.md", id)
                    .isRegularFile();
            assertThat(tableRowsNaming(architecture, id)).as("docs/architecture.md's table names %s", id).isNotEmpty();
            assertThat(tableRowsNaming(pluginsDoc, id)).as("docs/plugins.md's table names %s", id).isNotEmpty();
        }
    }

    @Test
    void noFilePointsOutsideTheRepository() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(REPO)) {
            for (Path file : (Iterable<Path>) files.filter(this::isReadable)::iterator) {
                String text = textOf(file);
                if (text == null) {
                    continue;
                }
                String[] lines = text.split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (OUTSIDE.matcher(lines[i]).find()) {
                        found.add(REPO.relativize(file) + ":" + (i + 1) + ": " + lines[i].strip());
                    }
                }
            }
        }
        assertThat(found).as("references to notes outside the repository").isEmpty();
    }

    private static List<String> builtInPlugins() throws IOException {
        Matcher m = PLUGIN_MODULE.matcher(Files.readString(REPO.resolve("pom.xml")));
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static List<String> tableRowsNaming(String markdown, String id) {
        return markdown.lines().filter(l -> l.startsWith("|") && l.contains("`" + id + "`")).toList();
    }

    private boolean isReadable(Path file) {
        Path relative = REPO.relativize(file);
        for (Path part : relative) {
            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                return false;
            }
        }
        // this test names what it looks for
        return Files.isRegularFile(file) && !file.getFileName().toString().equals("DocsStandAloneTest.java");
    }

    /** The file's text, or null for a binary one (images, archives). */
    private static String textOf(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
