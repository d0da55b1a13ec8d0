package io.stasis.plugin.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stasis.api.plugin.RestartRefusedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePolicyTest {

    private static final int RDONLY = 0;
    private static final int WRONLY = 1;
    private static final int RDWR = 2;

    @TempDir
    Path dir;

    private final List<String> notices = new ArrayList<>();

    private FileState recorded(Path file, int openFlags, byte[] copy) throws Exception {
        long mtime = Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS);
        byte[] payload = SectionBytes.fileState(file.toString(), Files.size(file), mtime, openFlags, copy).toArray();
        return FileState.parse(3, ByteBuffer.wrap(payload));
    }

    private Path file(String name, String contents) throws Exception {
        return Files.writeString(dir.resolve(name), contents);
    }

    @Test
    void anUnchangedFileIsAccepted() throws Exception {
        Path f = file("a", "hello\n");
        FilePolicy.enforce(List.of(recorded(f, RDONLY, null), recorded(f, RDWR, "hello\n".getBytes())), false,
                notices::add);
        assertThat(notices).isEmpty();
    }

    @Test
    void aReadOnlyFileWithAnotherTimeOrSizeChanged() throws Exception {
        Path f = file("a", "hello\n");
        FileState state = recorded(f, RDONLY, null);
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1_000));
        assertThat(FilePolicy.change(state)).hasValueSatisfying(c -> assertThat(c)
                .startsWith(f + " changed since the checkpoint (modified ").endsWith(" → 1970-01-01T00:00:01Z)"));
        Files.writeString(f, "hello world\n");
        assertThat(FilePolicy.change(state)).hasValue(f + " changed since the checkpoint (size 6 → 12)");
    }

    @Test
    void aFileOpenedForWritingMayGrowButNotShrink() throws Exception {
        Path f = file("log", "0123456789");
        FileState state = recorded(f, WRONLY | 02000, null);
        Files.writeString(f, "0123456789 and what the process wrote after the checkpoint");
        assertThat(FilePolicy.change(state)).isEmpty();
        Files.writeString(f, "01234");
        assertThat(FilePolicy.change(state)).hasValue(f + " changed since the checkpoint (size 10 → 5)");
    }

    @Test
    void withACopyTheContentsDecide() throws Exception {
        Path f = file("data", "abcdef");
        FileState state = recorded(f, RDWR, "abcdef".getBytes());
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1_000));
        assertThat(FilePolicy.change(state)).isEmpty();
        Files.writeString(f, "abcdeX");
        assertThat(FilePolicy.change(state)).hasValue(f + " changed since the checkpoint (contents)");
        Files.writeString(f, "abcdefg");
        assertThat(FilePolicy.change(state)).hasValue(f + " changed since the checkpoint (size 6 → 7)");
    }

    @Test
    void refusalsNameEveryFileAndWhatToDoAndTouchNothing() throws Exception {
        Path saved = file("saved", "keep me");
        Path plain = file("plain", "0123456789");
        FileState savedState = recorded(saved, RDWR, "keep me".getBytes());
        FileState plainState = recorded(plain, RDWR, null);
        Files.writeString(saved, "changed");
        Files.delete(plain);

        assertThatThrownBy(() -> FilePolicy.enforce(List.of(savedState, plainState), false, notices::add))
                .isInstanceOf(RestartRefusedException.class)
                .hasMessage(saved + " changed since the checkpoint (contents); --restore-files puts back the saved "
                        + "copy; " + plain + " was deleted since the checkpoint; it has no saved copy (save it with "
                        + "files.save-open-files)");
        /* asking for restoring does not help the file without a copy, and the other is left alone */
        assertThatThrownBy(() -> FilePolicy.enforce(List.of(savedState, plainState), true, notices::add))
                .isInstanceOf(RestartRefusedException.class).hasMessageNotContaining(saved.toString());
        assertThat(Files.readString(saved)).isEqualTo("changed");
        assertThat(notices).isEmpty();
    }

    @Test
    void restoringPutsBackContentsModeAndTimeSoTheNextCheckSeesNoChange() throws Exception {
        Path f = file("db", "the checkpoint's contents");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(1_700_000_000_123_456_789L,
                TimeUnit.NANOSECONDS));
        byte[] copy = Files.readAllBytes(f);
        long mtime = Files.getLastModifiedTime(f).to(TimeUnit.NANOSECONDS);
        byte[] payload = SectionBytes.payload().u64(1).u64(2).u64(copy.length).u64(mtime).u64(0).u32(RDWR)
                .u32(0100640).u32(f.toString().length()).u32(FileState.SAVED).text(f.toString()).bytes(copy)
                .toArray();
        FileState state = FileState.parse(4, ByteBuffer.wrap(payload));
        Files.delete(f);

        FilePolicy.enforce(List.of(state), true, notices::add);

        assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo("the checkpoint's contents");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        assertThat(Files.getLastModifiedTime(f).to(TimeUnit.NANOSECONDS)).isEqualTo(mtime);
        assertThat(notices).containsExactly("put back " + f + " as it was at the checkpoint (25 bytes)");
        assertThat(FilePolicy.change(state)).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f); // no temporary file left behind
        }
    }

    @Test
    void aFileThatCannotBePutBackIsARefusal() throws Exception {
        Path gone = dir.resolve("no-such-dir/file");
        byte[] payload = SectionBytes.fileState(gone.toString(), 3, 0, RDWR, "abc".getBytes()).toArray();
        FileState state = FileState.parse(3, ByteBuffer.wrap(payload));
        assertThatThrownBy(() -> FilePolicy.enforce(List.of(state), true, notices::add))
                .isInstanceOf(RestartRefusedException.class).hasMessageStartingWith("cannot put back " + gone);
    }
}
