package io.stasis.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through the test writer: what is written is what is read. */
class ImageReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsEverySectionOfTheSample() {
        ImageWriter writer = ImageWriter.sample();
        Image image = ImageReader.open(writer.write(dir.resolve("sample.stasis")));

        assertThat(image.header()).isEqualTo(new ImageHeader(1, 64, 4096, 62, 1_764_000_000_000L, 3, 0));
        assertThat(image.process()).isEqualTo(writer.process());
        assertThat(image.threads()).isEqualTo(writer.threads());
        assertThat(image.regions()).isEqualTo(writer.regions());
        assertThat(image.signals()).isEqualTo(writer.signals());
        assertThat(image.fds()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("dataOffset")
                .isEqualTo(writer.fds());
        assertThat(image.pluginSections()).extracting(PluginSection::pluginId, PluginSection::version,
                PluginSection::dataLength)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pid-virt", 1, 16L),
                        org.assertj.core.groups.Tuple.tuple("sockets", 2, 20L));
        assertThat(image.sections()).extracting(SectionInfo::name)
                .containsExactly("PROCESS", "THREADS", "REGIONS", "FDS", "SIGNALS", "CHILDREN", "PLUGIN", "PLUGIN", "MEMORY");
        assertThat(image.blocks()).hasSize(5);
        assertThat(image.blocks()).extracting(MemoryBlock::encoding).containsExactly(BlockEncoding.RAW,
                BlockEncoding.LZ4, BlockEncoding.RAW, BlockEncoding.LZ4, BlockEncoding.LZ4);
        assertThat(image.trailer().blockCount()).isEqualTo(5);
        assertThat(image.trailer().sectionCount()).isEqualTo(9);
        assertThat(image.children()).containsExactly(new ChildRecord(4300, ChildRecord.RUNNING, 0),
                new ChildRecord(4301, ChildRecord.ZOMBIE, 768));
        assertThat(image.trailer().offset() + 32).isEqualTo(image.trailer().fileLength());
    }

    @Test
    void decodesBlocksAndLoadsFdAndPluginData() {
        ImageWriter writer = ImageWriter.sample();
        Image image = ImageReader.open(writer.write(dir.resolve("sample.stasis")));
        try (ImageData data = ImageData.open(image)) {
            for (MemoryBlock block : image.blocks()) {
                assertThat(data.decode(block)).as(block.describe()).isEqualTo(writer.blockPages(block.index()));
            }
            assertThat(new String(data.fdData(image.fds().get(4)), StandardCharsets.UTF_8)).isEqualTo("hello pipe\n");
            assertThat(data.pluginData(image.pluginSections().get(1))).isEqualTo(writer.pluginData(1));
        }
    }

    @Test
    void countsStoredAndZeroPagesPerRegion() {
        Image image = ImageReader.open(ImageWriter.sample().write(dir.resolve("sample.stasis")));
        List<RegionUsage> usage = image.regionUsage();
        RegionUsage heap = usage.get(1);
        assertThat(heap.region().name()).isEqualTo("[heap]");
        assertThat(heap.totalPages()).isEqualTo(16);
        assertThat(heap.storedPages()).isEqualTo(4);
        assertThat(heap.zeroPages()).isEqualTo(12);
        assertThat(usage.get(4).region().name()).isEqualTo("[vvar]");
        assertThat(usage.get(4).storedPages()).isZero();
        assertThat(image.rawBytes()).isEqualTo(9 * 4096);
        assertThat(image.blocks()).extracting(MemoryBlock::regionIndex).containsExactly(0, 1, 1, 2, 6);
    }

    @Test
    void readsAnImageWithNothingInIt() {
        Image image = ImageReader.open(ImageWriter.create().write(dir.resolve("empty.stasis")));
        assertThat(image.threads()).isEmpty();
        assertThat(image.regions()).isEmpty();
        assertThat(image.blocks()).isEmpty();
        assertThat(ImageVerifier.verify(image.path(), true).ok()).isTrue();
    }

    @Test
    void skipsSectionKindsItDoesNotKnow() {
        ImageWriter writer = ImageWriter.sample().unknownSection(99, new byte[] {1, 2, 3});
        Image image = ImageReader.open(writer.write(dir.resolve("future.stasis")));
        assertThat(image.sections()).extracting(SectionInfo::kind).contains(99);
        assertThat(image.regions()).isEqualTo(writer.regions());
        assertThat(ImageVerifier.verify(image.path()).ok()).isTrue();
    }

    @Test
    void readsNonAsciiNamesAndReplacesBytesThatAreNotUtf8() throws Exception {
        long base = 0x7fff_ffff_f000L;
        ImageWriter writer = ImageWriter.sample()
                .region(new Region(base, base + 0x1000, 1, 0, 0, 0, 0, 0, "caf\u00e9 \u2603 X"));
        byte[] bytes = writer.toBytes();
        Image image = ImageReader.read(new MemoryChannel(bytes), Path.of("names.stasis"));
        assertThat(image.regions().get(7).name()).isEqualTo("caf\u00e9 \u2603 X");

        int x = new String(bytes, StandardCharsets.ISO_8859_1).indexOf(" X") + 1;
        bytes[x] = (byte) 0xff;
        image = ImageReader.read(new MemoryChannel(bytes), Path.of("names.stasis"));
        assertThat(image.regions().get(7).name()).isEqualTo("caf\u00e9 \u2603 \ufffd");
    }

    @Test
    void indexesAMultiGigabyteImageWithoutReadingItsPayloads() {
        long gib = 1L << 30;
        long base = 0x7f00_0000_0000L;
        ImageWriter writer = ImageWriter.create()
                .region(new Region(base, base + 8 * gib, 3, Region.FLAG_HAS_DATA, 0, 0, 0, 0, "big"));
        for (int i = 0; i < 6; i++) {
            writer.sparseZeroBlock(base + i * gib, gib - 4096);
        }
        Path path = writer.write(dir.resolve("big.stasis"));
        long start = System.nanoTime();
        Image image = ImageReader.open(path);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(image.blocks()).hasSize(6);
        assertThat(image.storedBytes()).isEqualTo(6 * (gib - 4096));
        assertThat(image.regionUsage().get(0).storedPages()).isEqualTo(6 * (gib / 4096 - 1));
        assertThat(millis).as("opening reads block headers only").isLessThan(2_000);
    }
}
