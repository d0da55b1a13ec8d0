package io.stasis.coordinator.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationDirectoriesTest {

    @TempDir
    Path root;

    private Path complete(GenerationDirectories g, long n) throws IOException {
        Path dir = g.prepare(n);
        Files.writeString(dir.resolve("ckpt_p_1.stasis"), "image " + n);
        Files.writeString(dir.resolve("stasis_restart_script_h-1.sh"), "script");
        Files.createSymbolicLink(dir.resolve(RestartScriptWriter.FILE_NAME), Path.of("stasis_restart_script_h-1.sh"));
        return dir;
    }

    @Test
    void theNewestCompleteGenerationIsTheOneWithARestartScript() throws IOException {
        GenerationDirectories g = new GenerationDirectories(root, 2);
        assertThat(GenerationDirectories.latestComplete(root)).isEmpty();
        complete(g, 1);
        Path unfinished = g.prepare(2);
        Files.writeString(unfinished.resolve(".ckpt_p_1.stasis.42.tmp"), "half");
        assertThat(GenerationDirectories.latestComplete(root)).get()
                .extracting(GenerationDirectories.Generation::number).isEqualTo(1L);
    }

    @Test
    void pruningKeepsTheNewestCompleteOnesAndDropsUnfinishedOnes() throws IOException {
        GenerationDirectories g = new GenerationDirectories(root, 2);
        complete(g, 1);
        complete(g, 2);
        g.prepare(3); // killed half-way
        complete(g, 4);
        g.prune(4);
        assertThat(GenerationDirectories.list(root)).extracting(GenerationDirectories.Generation::number)
                .containsExactly(2L, 4L);
    }

    @Test
    void aStaleTryIsEmptiedButForeignFilesStay() throws IOException {
        GenerationDirectories g = new GenerationDirectories(root, 2);
        Path dir = complete(g, 5);
        Files.writeString(dir.resolve("notes.txt"), "the user's");
        g.prepare(5);
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }
}
