package io.stasis.api.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why something failed, as a user reads it: the system's words, never a Java class name. */
class ErrorTextTest {

    @TempDir
    Path tmp;

    @Test
    void fileErrorsThatSayOnlyTheirPathGetTheSystemsWords() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        FileAlreadyExistsException exists = org.junit.jupiter.api.Assertions.assertThrows(
                FileAlreadyExistsException.class, () -> Files.createDirectory(file));
        assertThat(exists.getMessage()).isEqualTo(file.toString());
        assertThat(ErrorText.of(exists)).isEqualTo("File exists");
        assertThat(ErrorText.of(new AccessDeniedException("/x"))).isEqualTo("Permission denied");
        assertThat(ErrorText.of(new FileSystemException("/x", null, "No space left on device")))
                .isEqualTo("No space left on device");
    }

    @Test
    void noClassNameEvenWithoutAMessage() {
        assertThat(ErrorText.of(new UnresolvedAddressException())).isEqualTo("unresolved address");
        assertThat(ErrorText.of(new UncheckedIOException(new AccessDeniedException("/x")))).isEqualTo("Permission denied");
        assertThat(ErrorText.of(new RuntimeException(new IOException("Broken pipe")))).isEqualTo("Broken pipe");
        assertThat(ErrorText.of(new IOException("Connection refused"))).isEqualTo("Connection refused");
    }
}
