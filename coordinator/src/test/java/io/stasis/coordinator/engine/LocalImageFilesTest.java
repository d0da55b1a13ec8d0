package io.stasis.coordinator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files of vanished processes, on a real directory. */
class LocalImageFilesTest {

    @TempDir
    Path dir;

    private final LocalImageFiles files = new LocalImageFiles();

    private ProcessRecord process(String program, String uniqueId, String ownDir) {
        return new ProcessRecord(1, uniqueId, 42, 42, "node", program, ProcessState.CHECKPOINTING, 0, "comp", 1,
                ownDir);
    }

    @Test
    void namesFollowTheImageFormat() {
        assertThat(ImagePaths.of(process("a.out", "u-1", "/own"), "")).hasValue(new ImagePaths(
                Path.of("/own/ckpt_a.out_u-1.stasis"), Path.of("/own/.ckpt_a.out_u-1.stasis.42.tmp")));
        assertThat(ImagePaths.of(process("a.out", "u-1", "/own"), "/ckpt").orElseThrow().image())
                .isEqualTo(Path.of("/ckpt/ckpt_a.out_u-1.stasis"));
    }

    @Test
    void namesThatCouldReachElsewhereAreRefused() {
        assertThat(ImagePaths.of(process("../../etc", "u", "/own"), "")).isEmpty();
        assertThat(ImagePaths.of(process("..", "u", "/own"), "")).isEmpty();
        assertThat(ImagePaths.of(process("p", "a/b", "/own"), "")).isEmpty();
        assertThat(ImagePaths.of(process("p", "u", "relative"), "")).isEmpty();
        assertThat(ImagePaths.of(process("p", "u", ""), "")).isEmpty();
    }

    @Test
    void discardDeletesOnlyTheTemporaryImage() throws Exception {
        Path image = Files.writeString(dir.resolve("ckpt_p_u.stasis"), "previous generation");
        Path temporary = Files.writeString(dir.resolve(".ckpt_p_u.stasis.42.tmp"), "half");
        files.discardTemporary(process("p", "u", dir.toString()), "");
        assertThat(temporary).doesNotExist();
        assertThat(image).hasContent("previous generation");
        files.discardTemporary(process("p", "u", dir.toString()), ""); // nothing left: no error
    }

    @Test
    void completeRenamesTheTemporaryImageIntoPlace() throws Exception {
        Files.writeString(dir.resolve("ckpt_p_u.stasis"), "previous generation");
        Files.writeString(dir.resolve(".ckpt_p_u.stasis.42.tmp"), "new generation");
        ImageInfo info = files.completeCommit(process("p", "u", "/elsewhere"), dir.toString()).orElseThrow();
        assertThat(info.path()).isEqualTo(dir.resolve("ckpt_p_u.stasis").toString());
        assertThat(info.imageBytes()).isEqualTo("new generation".length());
        assertThat(dir.resolve("ckpt_p_u.stasis")).hasContent("new generation");
        assertThat(dir.resolve(".ckpt_p_u.stasis.42.tmp")).doesNotExist();
        // renamed by the process itself before it vanished: found as it is
        assertThat(files.completeCommit(process("p", "u", dir.toString()), "")).isPresent();
        assertThat(files.completeCommit(process("q", "u", dir.toString()), "")).isEmpty();
    }
}
