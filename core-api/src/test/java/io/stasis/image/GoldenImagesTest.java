package io.stasis.image;

import io.stasis.api.json.Json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Images written by the C writer ({@code tests/golden/*.stasis}) must read, verify and
 * decode here. A golden image may come with {@code <name>.expected.json}: the
 * {@code inspect --json} output it must produce, with {@code "path": "<image>"}.
 */
class GoldenImagesTest {

    private static final Path GOLDEN = Path.of(System.getProperty("stasis.golden.dir", "../tests/golden"));

    @Test
    void goldenImagesExistWhenRequired() throws IOException {
        if (Boolean.getBoolean("stasis.golden.required")) {
            assertThat(goldenImages()).as("*.stasis in " + GOLDEN.toAbsolutePath()).isNotEmpty();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenImageReadsAndVerifies() throws IOException {
        return goldenImages().stream().map(path -> DynamicTest.dynamicTest(path.getFileName().toString(), () -> {
            Image image = ImageReader.open(path);
            VerificationReport report = ImageVerifier.verify(image, true);
            assertThat(report.problems()).isEmpty();
            assertThat(report.blocksChecked()).isEqualTo(image.blocks().size());
            try (ImageData data = ImageData.open(image)) {
                for (MemoryBlock block : image.blocks()) {
                    assertThat(data.decode(block)).hasSize((int) block.rawLength());
                }
            }
            String json = ImageInspector.describe(image, report, true);
            Json.parse(json);
            assertThat(ImageInspector.describe(image, report, false)).contains("checksums   ok");
            Path expected = path.resolveSibling(path.getFileName().toString().replaceFirst("\\.stasis$", "")
                    + ".expected.json");
            if (Files.exists(expected)) {
                assertThat(json.replace(path.toString(), "<image>"))
                        .isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
            }
        }));
    }

    /** The fields native/test/golden_writer.c wrote, as the Java reader sees them. */
    @Test
    void syntheticGoldenImageHasTheFieldsTheCWriterWrote() throws IOException {
        Path path = GOLDEN.resolve("synthetic-v1.stasis");
        if (!Files.exists(path) && !Boolean.getBoolean("stasis.golden.required")) {
            return;
        }
        Image image = ImageReader.open(path);
        assertThat(image.header().generation()).isEqualTo(7);
        assertThat(image.process().program()).isEqualTo("golden");
        assertThat(image.process().pid()).isEqualTo(4242);
        assertThat(image.process().plugins()).containsExactly("pid-virt");
        assertThat(image.threads()).extracting(ThreadRecord::name).containsExactly("golden", "stasis:ckpt");
        assertThat(image.regions()).extracting(Region::name)
                .containsExactly("[heap]", "/home/user/shared.db", "[vvar]", "[vdso]", "[stack]");
        assertThat(image.fds()).extracting(FdRecord::sameAs)
                .containsExactly(FdRecord.NOT_SHARED, 1, FdRecord.NOT_SHARED, FdRecord.NOT_SHARED);
        assertThat(image.pluginSections()).extracting(PluginSection::pluginId).containsExactly("pid-virt");
        try (ImageData data = ImageData.open(image)) {
            byte[] heap = data.decode(image.blocks().get(0));
            assertThat(new String(heap, 0, 20, StandardCharsets.US_ASCII)).isEqualTo("stasis golden stasis");
            assertThat(data.fdData(image.fds().get(2))).isEqualTo("in flight\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static List<Path> goldenImages() throws IOException {
        if (!Files.isDirectory(GOLDEN)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".stasis")).sorted().toList();
        }
    }
}
