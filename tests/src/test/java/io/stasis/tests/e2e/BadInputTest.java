package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets one clear line and a documented non-zero exit (docs/environment.md),
 * never a crash, a hang, or a half-restored process.
 */
class BadInputTest {

    private static Sandbox sandbox;
    private static Path image;

    /** One real image to spoil in different ways. */
    @BeforeAll
    static void takeAnImage() {
        sandbox = Sandbox.create(Programs.HOME);
        image = new Lifecycle(sandbox, Programs.named("counter"), PluginSet.all()).checkpointAndKill().image();
    }

    @AfterAll
    static void cleanUp() {
        sandbox.close();
    }

    @Test
    void unknownProgram() {
        CommandResult r = Coordinator.embedded(sandbox).stasis("launch", "/no/such/program");
        assertOneLine(r, 127, "/no/such/program");
    }

    @Test
    void unreachableCoordinator() {
        CommandResult r = sandbox.stasisCommand("checkpoint", "--coord-port", String.valueOf(sandbox.freePort())).run();
        assertOneLine(r, 3, "coordinator");
    }

    @Test
    void badPort() {
        CommandResult r = sandbox.runStasis("checkpoint", "--coord-port", "99999");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errorOutput()).contains("99999");
    }

    @Test
    void noImages() {
        assertThat(sandbox.runStasis("restart").exitCode()).isEqualTo(2);
    }

    @Test
    void missingImage() {
        assertOneLine(restart(sandbox.work().resolve("ckpt_nothing.stasis")), 4, "ckpt_nothing.stasis");
    }

    @Test
    void notAnImage() throws IOException {
        Path text = Files.writeString(sandbox.work().resolve("ckpt_text.stasis"), "hello\n");
        assertOneLine(restart(text), 4, "not a Stasis image");
    }

    @Test
    void otherVersion() throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        bytes[8] = 2;
        assertOneLine(restart(write("ckpt_v2.stasis", bytes)), 4, "version 2");
    }

    @Test
    void truncatedImage() throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        for (int length : new int[] {10, 200, bytes.length / 2, bytes.length - 1}) {
            byte[] cut = java.util.Arrays.copyOf(bytes, length);
            assertOneLine(restart(write("ckpt_cut" + length + ".stasis", cut)), 4, "");
        }
    }

    /** A flipped byte inside a memory block: caught by the block's checksum before anything is restored. */
    @Test
    void corruptMemoryBlock() throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        long payload = io.stasis.image.ImageReader.open(image).blocks().get(3).payloadOffset();
        bytes[(int) payload + 100] ^= 0x40;
        CommandResult r = restart(write("ckpt_flipped.stasis", bytes));
        assertOneLine(r, 4, "checksum");
        assertThat(r.output()).as("nothing of the program ran").isEmpty();
    }

    private static CommandResult restart(Path image) {
        return Coordinator.embedded(sandbox).stasis(Duration.ofSeconds(60), "restart", image.toString());
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(sandbox.work().resolve(name), bytes);
    }

    private static void assertOneLine(CommandResult r, int exitCode, String mentions) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.stderr()).as(r.toString()).hasSize(1);
        assertThat(r.stderr().get(0)).as(r.toString()).contains(mentions).doesNotContain("Exception");
    }
}
