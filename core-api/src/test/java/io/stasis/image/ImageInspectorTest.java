package io.stasis.image;

import io.stasis.api.json.Json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listing of {@code stasis inspect}. The sample's full text and JSON are pinned in
 * resources: scripts parse the JSON, so a change to it must be deliberate.
 */
class ImageInspectorTest {

    @TempDir
    Path dir;

    @Test
    void textListingOfTheSampleIsStable() throws IOException {
        Path image = ImageWriter.sample().write(dir.resolve("ckpt_counter.stasis"));
        assertThat(ImageInspector.describe(image, false).replace(image.toString(), "<image>"))
                .isEqualTo(resource("sample-inspect.txt"));
    }

    @Test
    void jsonOfTheSampleIsStable() throws IOException {
        Path image = ImageWriter.sample().write(dir.resolve("ckpt_counter.stasis"));
        assertThat(ImageInspector.describe(image, true).replace(image.toString(), "<image>"))
                .isEqualTo(resource("sample-inspect.json"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonIsValidAndCarriesTheFacts() {
        Path image = ImageWriter.sample().write(dir.resolve("ckpt_counter.stasis"));
        Map<String, Object> json = (Map<String, Object>) Json.parse(ImageInspector.describe(image, true));
        assertThat(json).containsKeys("path", "header", "sections", "process", "threads", "regions", "fds",
                "signals", "pluginSections", "memory", "verification");
        List<Map<String, Object>> regions = (List<Map<String, Object>>) json.get("regions");
        assertThat(regions.get(1)).containsEntry("name", "[heap]").containsEntry("perms", "rw-p")
                .containsEntry("storedPages", 4L).containsEntry("zeroPages", 12L);
        assertThat(regions.get(3)).containsEntry("perms", "rw-s");
        List<Map<String, Object>> signals = (List<Map<String, Object>>) json.get("signals");
        assertThat(signals).extracting(s -> s.get("name")).containsExactly("SIGINT", "SIGUSR2", "SIGPIPE");
        assertThat((Map<String, Object>) json.get("verification")).containsEntry("ok", true);
    }

    @Test
    void showsAFailedVerification() {
        byte[] bytes = ImageWriter.sample().toBytes();
        Image layout = ImageReader.open(ImageWriter.sample().write(dir.resolve("good.stasis")));
        MemoryBlock block = layout.blocks().get(0);
        Path image = write("bad.stasis", ImageBytes.xor(bytes, block.payloadOffset(), 0x55));

        assertThat(ImageInspector.describe(image, false))
                .contains("checksums   FAILED: block 0 at 0x555555554000 (offset " + block.offset() + "): checksum mismatch");
        assertThat(ImageInspector.describe(image, true)).contains("\"ok\": false");
    }

    @Test
    void escapesControlCharactersInNames() {
        long base = 0x7fff_ffff_f000L;
        ImageWriter writer = ImageWriter.sample()
                .region(new Region(base, base + 0x1000, 1, 0, 0, 0, 0, 0, "evil\nSIGKILL  0x0\t\"x\""));
        Path image = writer.write(dir.resolve("names.stasis"));
        assertThat(ImageInspector.describe(image, false)).contains("evil\\x0aSIGKILL  0x0\\x09\"x\"")
                .doesNotContain("evil\n");
        String json = ImageInspector.describe(image, true);
        assertThat(json).contains("\"evil\\nSIGKILL  0x0\\t\\\"x\\\"\"");
        Json.parse(json);
    }

    @Test
    void listsSectionsItDoesNotKnow() {
        Path image = ImageWriter.sample().unknownSection(99, new byte[7]).write(dir.resolve("future.stasis"));
        assertThat(ImageInspector.describe(image, false))
                .containsPattern("Sections this Stasis does not know \\(1, skipped\\)\n  KIND +OFFSET +SIZE\n  99 +\\d+ +7\n");
    }

    private Path write(String name, byte[] bytes) {
        try {
            return java.nio.file.Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ImageInspectorTest.class.getResourceAsStream(name)) {
            assertThat(in).as("resource " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
