package io.stasis.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way the reader refuses an image, and the one-line message it gives. */
class InvalidImageTest {

    private static final Path NAME = Path.of("bad.stasis");
    private static final long TEXT = 0x5555_5555_4000L;
    private static final long HEAP = 0x5555_5556_0000L;
    private static final long ANON = 0x7f00_0000_0000L;
    private static final long VVAR = 0x7fff_f7fc_1000L;

    private final byte[] valid = ImageWriter.sample().toBytes();
    private final Image layout = read(valid);

    @TempDir
    Path dir;

    // ---- header

    @Test
    void emptyFile() {
        assertProblem(new byte[0]).isEqualTo("not a Stasis image (empty file)");
    }

    @Test
    void foreignFile() {
        assertProblem(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0}).isEqualTo("not a Stasis image");
        assertProblem("hello".getBytes(StandardCharsets.US_ASCII)).isEqualTo("not a Stasis image");
    }

    @Test
    void truncatedHeader() {
        assertProblem(Arrays.copyOf(valid, 5)).isEqualTo("truncated at offset 5 while reading header");
        assertProblem(Arrays.copyOf(valid, 40)).isEqualTo("truncated at offset 40 while reading header");
    }

    @Test
    void otherVersion() {
        assertProblem(ImageBytes.putU32(valid, 8, 2)).isEqualTo("image format version 2, this Stasis reads 1");
        assertProblem(Arrays.copyOf(ImageBytes.putU32(valid, 8, 2), 12))
                .isEqualTo("image format version 2, this Stasis reads 1");
    }

    @Test
    void otherHeaderSizePageSizeOrMachine() {
        assertProblem(ImageBytes.putU32(valid, 12, 72)).isEqualTo("header size 72, version 1 has 64");
        assertProblem(ImageBytes.putU32(valid, 16, 65536)).isEqualTo("page size 65536, this Stasis supports 4096");
        assertProblem(ImageBytes.putU32(valid, 20, 183)).isEqualTo("machine 183, this Stasis reads x86-64 (62) images");
    }

    // ---- sections

    @Test
    void truncatedInsideASection() {
        SectionInfo regions = section("REGIONS");
        long cut = regions.payloadOffset() + 10;
        assertProblem(Arrays.copyOf(valid, (int) cut)).isEqualTo("truncated at offset " + cut + " while reading REGIONS");
    }

    @Test
    void sectionLengthBeyondTheFile() {
        SectionInfo threads = section("THREADS");
        assertProblem(ImageBytes.putU64(valid, threads.offset() + 8, 1L << 40))
                .isEqualTo("truncated at offset " + valid.length + " while reading THREADS");
        assertProblem(ImageBytes.putU64(valid, threads.offset() + 8, -2L))
                .isEqualTo("truncated at offset " + valid.length + " while reading THREADS");
    }

    @Test
    void recordRunsPastItsSection() {
        SectionInfo regions = section("REGIONS");
        int count = ImageBytes.u32(valid, regions.payloadOffset());
        assertProblem(ImageBytes.putU32(valid, regions.payloadOffset(), count + 1))
                .startsWith("malformed REGIONS section at offset " + regions.offset() + ": field at offset ")
                .endsWith("runs past the section's end at offset " + (regions.payloadOffset() + regions.length()));
    }

    @Test
    void bytesLeftOverInASection() {
        byte[] bytes = ImageWriter.sample().editSections(sections -> replace(sections, SectionKind.REGIONS,
                payload -> Arrays.copyOf(payload, payload.length + 3))).toBytes();
        assertProblem(bytes).isEqualTo("malformed REGIONS section at offset " + section("REGIONS").offset()
                + ": 3 bytes left over after its last record");
    }

    @Test
    void threadCountDisagreesWithTheSectionLength() {
        SectionInfo threads = section("THREADS");
        assertProblem(ImageBytes.putU32(valid, threads.payloadOffset(), 3))
                .isEqualTo("malformed THREADS section at offset " + threads.offset()
                        + ": 3 thread records of 176 bytes do not fill its 352 bytes");
    }

    @Test
    void sectionTwice() {
        byte[] bytes = ImageWriter.sample().editSections(sections -> {
            sections.add(1, sections.get(0));
            return sections;
        }).toBytes();
        assertProblem(bytes).startsWith("second PROCESS section at offset ");
    }

    @Test
    void sectionsOutOfOrder() {
        byte[] bytes = ImageWriter.sample().editSections(sections -> {
            sections.add(2, sections.remove(1));
            return sections;
        }).toBytes();
        assertProblem(bytes).matches("THREADS section at offset \\d+ comes after REGIONS");
    }

    @Test
    void sectionMissing() {
        byte[] bytes = ImageWriter.sample().editSections(sections -> {
            sections.removeIf(s -> s.kind() == SectionKind.FDS.code());
            return sections;
        }).toBytes();
        assertProblem(bytes).matches("no FDS section before MEMORY at offset \\d+");
    }

    @Test
    void memorySectionWithALength() {
        SectionInfo memory = section("MEMORY");
        assertProblem(ImageBytes.putU64(valid, memory.offset() + 8, 0))
                .isEqualTo("MEMORY section at offset " + memory.offset() + " has length 0, expected 0xffffffffffffffff");
    }

    // ---- regions

    @Test
    void badRegions() {
        assertProblem(withRegions(new Region(0x1000, 0x1000, 3, 0, 0, 0, 0, 0, "")))
                .endsWith("region 0 (0x1000-0x1000) is empty or ends before it starts");
        assertProblem(withRegions(new Region(0x2000, 0x1000, 3, 0, 0, 0, 0, 0, "")))
                .endsWith("region 0 (0x2000-0x1000) is empty or ends before it starts");
        assertProblem(withRegions(new Region(0x1000, 0x1800, 3, 0, 0, 0, 0, 0, "")))
                .endsWith("region 0 (0x1000-0x1800) is not page aligned");
        assertProblem(withRegions(new Region(0x1000, 0x3000, 3, 0, 0, 0, 0, 0, ""),
                new Region(0x2000, 0x4000, 3, 0, 0, 0, 0, 0, "")))
                .startsWith("malformed REGIONS section at offset ")
                .endsWith("region 1 (0x2000-0x4000) overlaps or precedes the region before it (0x1000-0x3000)");
    }

    // ---- blocks

    @Test
    void blockWithBadMagic() {
        MemoryBlock first = layout.blocks().get(0);
        assertProblem(ImageBytes.putU32(valid, first.offset(), 0x12345678))
                .isEqualTo("block 0 at offset " + first.offset() + ": bad magic 0x12345678 (expected BLK1)");
    }

    @Test
    void blockWithUnknownEncoding() {
        MemoryBlock first = layout.blocks().get(0);
        assertProblem(ImageBytes.putU16(valid, first.offset() + 4, 7))
                .isEqualTo("block 0 at 0x555555554000 (offset " + first.offset() + "): unknown encoding 7");
    }

    @Test
    void endBlockWithFields() {
        long end = layout.trailer().offset() - 32;
        assertProblem(ImageBytes.putU64(valid, end + 8, 0x1000))
                .isEqualTo("END block at offset " + end + " has non-zero fields");
    }

    @Test
    void blockLengthsThatCannotBe() {
        assertProblem(ImageWriter.sample().rawBlock(ANON + 0x10, new byte[4096]).toBytes())
                .endsWith(": address is not page aligned");
        assertProblem(ImageWriter.sample().storedBlock(ANON, BlockEncoding.RAW, 100, new byte[100]).toBytes())
                .endsWith(": raw length 100 is not a positive multiple of the page size");
        assertProblem(ImageWriter.sample().storedBlock(ANON, BlockEncoding.RAW, 4096, new byte[10]).toBytes())
                .endsWith(": raw block stores 10 bytes for 4096");
        assertProblem(ImageWriter.sample().storedBlock(ANON, BlockEncoding.LZ4, 4096, new byte[5000]).toBytes())
                .endsWith(": LZ4 block of 4096 bytes cannot store 5000");
        assertProblem(ImageWriter.sample().storedBlock(ANON, BlockEncoding.LZ4, 4096, new byte[0]).toBytes())
                .endsWith(": LZ4 block of 4096 bytes cannot store 0");
    }

    @Test
    void blockOutsideItsRegion() {
        int index = layout.blocks().size();
        assertProblem(ImageWriter.sample().rawBlock(0x1000, new byte[4096]).toBytes())
                .startsWith("block " + index + " at 0x1000 (offset ")
                .endsWith("): its 1 pages are not inside one region");
        assertProblem(ImageWriter.sample().rawBlock(TEXT + 0x1000, new byte[8192]).toBytes())
                .endsWith("its 2 pages are not inside one region");
        assertProblem(ImageWriter.sample().rawBlock(VVAR, new byte[4096]).toBytes())
                .endsWith(": region 0x7ffff7fc1000-0x7ffff7fc5000 is not marked as having data");
    }

    @Test
    void blocksHoldingTheSamePage() {
        assertProblem(ImageWriter.sample().rawBlock(HEAP + 0x2000, new byte[4096]).toBytes())
                .isEqualTo("blocks 1 and 5 both hold page 0x555555562000");
    }

    @Test
    void truncatedInsideABlock() {
        MemoryBlock block = layout.blocks().get(2);
        long cut = block.payloadOffset() + 100;
        assertProblem(Arrays.copyOf(valid, (int) cut)).isEqualTo("truncated at offset " + cut + " while reading block 2");
        cut = block.offset() + 10;
        assertProblem(Arrays.copyOf(valid, (int) cut)).isEqualTo("truncated at offset " + cut + " while reading block 2");
    }

    // ---- trailer

    @Test
    void badTrailers() {
        long trailer = layout.trailer().offset();
        assertProblem(Arrays.copyOf(valid, (int) trailer))
                .isEqualTo("truncated at offset " + trailer + " while reading trailer");
        assertProblem(ImageBytes.putU32(valid, trailer, 0))
                .isEqualTo("no trailer after the END block: bad magic at offset " + trailer);
        assertProblem(Arrays.copyOf(valid, valid.length + 5))
                .isEqualTo("5 unexpected bytes after the trailer at offset " + trailer);
        assertProblem(ImageBytes.putU64(valid, trailer + 8, 7))
                .isEqualTo("trailer says the file has 7 bytes, it has " + valid.length);
        assertProblem(ImageBytes.putU32(valid, trailer + 16, 10)).isEqualTo("trailer counts 10 sections, the image has 9");
        assertProblem(ImageBytes.putU32(valid, trailer + 20, 6)).isEqualTo("trailer counts 6 blocks, the image has 5");
        assertProblem(ImageBytes.putU32(valid, trailer + 28, 1)).isEqualTo("trailer's reserved field is not zero");
    }

    // ---- checksums

    @Test
    void blockChecksumMismatch() throws IOException {
        MemoryBlock block = layout.blocks().get(1);
        VerificationReport report = verify(ImageBytes.xor(valid, block.payloadOffset() + 3, 0x40), false);
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).hasSize(1);
        assertThat(report.firstFailure()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("block 1 at 0x555555560000 (offset " + block.offset() + "): checksum mismatch (header 0x");
        assertThat(report.summary()).startsWith("FAILED: block 1 at 0x555555560000");
    }

    @Test
    void fileChecksumMismatch() throws IOException {
        int program = new String(valid, StandardCharsets.ISO_8859_1).indexOf("counter");
        VerificationReport report = verify(ImageBytes.xor(valid, program, 0x20), false);
        assertThat(report.problems()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .matches("file checksum mismatch \\(trailer 0x[0-9a-f]{8}, contents 0x[0-9a-f]{8}\\)");
        assertThat(report.blocksChecked()).isEqualTo(5);
    }

    @Test
    void checksumFieldItselfWrong() throws IOException {
        long crcField = layout.trailer().offset() + 24;
        assertThat(verify(ImageBytes.xor(valid, crcField, 1), false).firstFailure())
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING).startsWith("file checksum mismatch");
    }

    @Test
    void unreadableStructureIsAFailedReportNotAnException() throws IOException {
        VerificationReport report = verify(Arrays.copyOf(valid, 100), true);
        assertThat(report.ok()).isFalse();
        assertThat(report.blockCount()).isZero();
        assertThat(report.problems()).containsExactly("truncated at offset 100 while reading PROCESS");
    }

    @Test
    void deepVerificationDecodesBlocks() throws IOException {
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xF0);
        byte[] bytes = ImageWriter.sample().storedBlock(ANON, BlockEncoding.LZ4, 4096, garbage).toBytes();
        assertThat(verify(bytes, false).ok()).isTrue();
        assertThat(verify(bytes, true).problems()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("block 5 at 0x7f0000000000: LZ4 data does not decode");

        byte[] onePage = net.jpountz.lz4.LZ4Factory.safeInstance().fastCompressor().compress(new byte[4096]);
        bytes = ImageWriter.sample().storedBlock(ANON, BlockEncoding.LZ4, 8192, onePage).toBytes();
        assertThat(verify(bytes, true).problems())
                .containsExactly("block 5 at 0x7f0000000000: LZ4 data decodes to 4096 bytes, raw length is 8192");
        assertThat(verify(valid, true).summary()).isEqualTo("ok (5 blocks decoded, file checksum)");
    }

    @Test
    void decodingABlockChecksItsChecksum() {
        MemoryBlock block = layout.blocks().get(3);
        byte[] corrupt = ImageBytes.xor(valid, block.payloadOffset(), 1);
        Image image = read(corrupt);
        try (ImageData data = ImageData.over(image, new MemoryChannel(corrupt))) {
            assertThatThrownBy(() -> data.decode(block)).isInstanceOf(InvalidImageException.class)
                    .hasMessageStartingWith("bad.stasis: block 3 at 0x7f0000010000 (offset ")
                    .hasMessageContaining("checksum mismatch");
        }
    }

    // ---- the exception and I/O

    @Test
    void messageNamesTheFile() {
        InvalidImageException e = new InvalidImageException("/tmp/x.stasis", "not a Stasis image");
        assertThat(e).hasMessage("/tmp/x.stasis: not a Stasis image");
        assertThat(e.source()).isEqualTo("/tmp/x.stasis");
        assertThat(e.problem()).isEqualTo("not a Stasis image");
    }

    @Test
    void missingFileIsAnIoErrorNotAnInvalidImage() {
        Path missing = dir.resolve("missing.stasis");
        assertThatThrownBy(() -> ImageReader.open(missing)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("missing.stasis");
        assertThatThrownBy(() -> ImageVerifier.verify(missing)).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> ImageInspector.describe(missing, false)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void publicEntryPointsGiveTheSameMessageWithThePath() throws IOException {
        Path bad = dir.resolve("short.stasis");
        java.nio.file.Files.write(bad, Arrays.copyOf(valid, 30));
        assertThatThrownBy(() -> ImageReader.open(bad)).isInstanceOf(InvalidImageException.class)
                .hasMessage(bad + ": truncated at offset 30 while reading header");
        assertThatThrownBy(() -> ImageInspector.describe(bad, true)).isInstanceOf(InvalidImageException.class);
        assertThat(ImageVerifier.verify(bad).problems()).containsExactly("truncated at offset 30 while reading header");
    }

    // ---- helpers

    private static Image read(byte[] bytes) {
        try {
            return ImageReader.read(new MemoryChannel(bytes), NAME);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VerificationReport verify(byte[] bytes, boolean deep) throws IOException {
        return ImageVerifier.verify(new MemoryChannel(bytes), NAME, deep);
    }

    private static AbstractStringAssert<?> assertProblem(byte[] bytes) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> read(bytes));
        assertThat(thrown).isInstanceOf(InvalidImageException.class);
        InvalidImageException e = (InvalidImageException) thrown;
        assertThat(e.source()).isEqualTo(NAME.toString());
        return assertThat(e.problem());
    }

    private SectionInfo section(String name) {
        return layout.sections().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static byte[] withRegions(Region... regions) {
        ImageWriter writer = ImageWriter.create();
        for (Region region : regions) {
            writer.region(region);
        }
        return writer.toBytes();
    }

    private static List<ImageWriter.RawSection> replace(List<ImageWriter.RawSection> sections, SectionKind kind,
            java.util.function.UnaryOperator<byte[]> edit) {
        List<ImageWriter.RawSection> edited = new ArrayList<>();
        for (ImageWriter.RawSection s : sections) {
            edited.add(s.kind() == kind.code() ? new ImageWriter.RawSection(s.kind(), s.flags(), edit.apply(s.payload()))
                    : s);
        }
        return edited;
    }
}
