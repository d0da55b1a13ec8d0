package io.stasis.plugin.files;

import static io.stasis.plugin.files.SectionBytes.payload;
import static io.stasis.plugin.files.SectionBytes.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilesSectionTest {

    private final FilesSection decoder = new FilesSection(FilesSection.builtInDescribers());

    @Test
    void describesFileStateRecords() {
        byte[] copy = "hello\n".getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = section()
                .record(RecordKind.FILE_STATE, 3, SectionBytes.fileState("/data/out.txt", 6, 1_700_000_000_123_456_789L,
                        02 | 02000 | 02000000, copy))
                .record(RecordKind.FILE_STATE, 4, SectionBytes.fileState("/etc/hosts", 220, 0, 0, null))
                .buffer();

        assertThat(decoder.describe(1, data)).containsExactly(
                "fd 3: file /data/out.txt, 6 bytes, modified 2023-11-14T22:13:20.123456789Z, offset 7, "
                        + "O_RDWR|O_APPEND|O_CLOEXEC, dev 0x803 ino 1234, saved copy",
                "fd 4: file /etc/hosts, 220 bytes, modified 1970-01-01T00:00:00Z, offset 7, O_RDONLY, "
                        + "dev 0x803 ino 1234, not saved");
    }

    @Test
    void describesUnlinkedFilesWithTheirAliases() {
        byte[] contents = "0123456789".getBytes(StandardCharsets.UTF_8);
        SectionBytes unlinked = payload().u64(4).u64(contents.length).u32(01 | 02000).u32(0100600)
                .u32("/tmp/x".length()).u32(2).u32(-1).u32(0).u32(100).u32(3).u32(1).u32(0).u32(5).u32(9).text("/tmp/x")
                .bytes(contents);
        SectionBytes second = payload().u64(0).u64(0).u32(0).u32(0100600).u32("/tmp/x".length()).u32(0).u32(3)
                .u32(0).u32(0).u32(0).u32(0).u32(0).text("/tmp/x");

        assertThat(decoder.describe(1, section().record(RecordKind.UNLINKED, 3, unlinked)
                .record(RecordKind.UNLINKED, 4, second).buffer())).containsExactly(
                "fd 3: deleted file /tmp/x, 10 bytes saved, offset 4, O_WRONLY|O_APPEND, mode 0600, also fd 5, 9",
                "fd 4: deleted file /tmp/x, same file as fd 3, offset 0, O_RDONLY, mode 0600");
    }

    @Test
    void describesMemfdsWithTheirMappings() {
        SectionBytes memfd = payload().u64(16).u64(4).u32(02).u32(0x2).u32("buf".length()).u32(0).u32(1).u32(-1)
                .u32(4242).u32(7).u32(0).u32(0).u64(0x7f0000000000L).u64(0x7f0000001000L).u64(0).u32(3).u32(1).text("buf").text("abcd");

        assertThat(decoder.describe(1, section().record(RecordKind.MEMFD, 6, memfd).buffer())).containsExactly(
                "fd 6: memfd buf, 4 bytes saved, offset 16, O_RDWR, seals SHRINK, mapped 7f0000000000-7f0000001000 "
                        + "rw-s at 0, shared with pid 4242 (its fd 7)");
    }

    @Test
    void unknownKindsShowTheirSizeAndOtherDescribersAreUsed() {
        ByteBuffer data = section().record(42, 7, payload().u64(1).u64(2)).record(RecordKind.EVENTFD, 8,
                payload().u64(5)).buffer();
        FilesSection withEventfd = new FilesSection(Map.of(RecordKind.EVENTFD, (fd, p) -> "fd " + fd + ": eventfd "
                + p.getLong()));

        assertThat(withEventfd.describe(1, data)).containsExactly("fd 7: record kind 42, 16 bytes",
                "fd 8: eventfd 5");
    }

    @Test
    void aTruncatedSectionShowsWhatCameBeforeAndWhereItEnds() {
        byte[] whole = section().record(RecordKind.FILE_STATE, 3, SectionBytes.fileState("/a", 0, 0, 0, null))
                .record(RecordKind.FILE_STATE, 4, SectionBytes.fileState("/b", 0, 0, 0, null)).toArray();
        int firstEnd = 4 + 16 + FileState.HEAD + 2;

        List<String> cutInPayload = decoder.describe(1, ByteBuffer.wrap(Arrays.copyOf(whole, whole.length - 1)));
        assertThat(cutInPayload).hasSize(2);
        assertThat(cutInPayload.get(0)).startsWith("fd 3: file /a,");
        assertThat(cutInPayload.get(1)).isEqualTo("section truncated at byte " + firstEnd + ": the record of fd 4 "
                + "(kind 1) needs 58 bytes, 57 left");

        List<String> cutInHeader = decoder.describe(1, ByteBuffer.wrap(Arrays.copyOf(whole, firstEnd + 5)));
        assertThat(cutInHeader.get(1)).isEqualTo("section truncated at byte " + firstEnd + ": a record header needs 16 "
                + "bytes, 5 left");
    }

    @Test
    void aDamagedRecordIsOneLineAndTheRestStillShows() {
        SectionBytes hugePath = payload().u64(0).u64(0).u64(0).u64(0).u64(0).u32(0).u32(0).u32(0x7fffffff).u32(0);
        SectionBytes shortCopy = SectionBytes.fileState("/c", 100, 0, 2, new byte[3]);
        ByteBuffer data = section().record(RecordKind.FILE_STATE, 3, hugePath)
                .record(RecordKind.FILE_STATE, 4, shortCopy)
                .record(RecordKind.MEMFD, 5, payload().u64(0))
                .record(RecordKind.FILE_STATE, 6, SectionBytes.fileState("/d", 0, 0, 0, null)).buffer();

        List<String> lines = decoder.describe(1, data);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("fd 3: malformed FILE_STATE record of 56 bytes: path of 2147483647 bytes");
        assertThat(lines.get(1)).isEqualTo("fd 4: malformed FILE_STATE record of 61 bytes: a saved copy of 3 bytes "
                + "for a file of 100");
        assertThat(lines.get(2)).isEqualTo("fd 5: malformed MEMFD record of 8 bytes: its head needs 56 bytes, 8 left");
        assertThat(lines.get(3)).startsWith("fd 6: file /d,");
    }

    @Test
    void aSectionWithoutTheMagicIsRefused() {
        assertThatThrownBy(() -> decoder.describe(1, payload().u32(0x12345678).buffer()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a files section");
        assertThatThrownBy(() -> decoder.describe(1, ByteBuffer.allocate(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptySectionHasNoLines() {
        assertThat(decoder.describe(1, section().buffer())).isEmpty();
    }

    @Test
    void aRecordLengthBeyondTheSectionIsTruncationNotACrash() {
        ByteBuffer data = section().u32(RecordKind.FILE_STATE).u32(3).u64(-1L).buffer();
        assertThat(decoder.describe(1, data)).containsExactly("section truncated at byte 4: the record of fd 3 "
                + "(kind 1) needs 18446744073709551615 bytes, 0 left");
    }
}
