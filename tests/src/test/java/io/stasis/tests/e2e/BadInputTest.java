package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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

    /** A fifo is never opened (that would wait for a writer forever), a directory is no image: 4, at once. */
    @Test
    void whatCannotBeAnImageIsRefusedAtOnce() throws IOException {
        Path fifo = sandbox.work().resolve("ckpt_fifo.stasis");
        sandbox.run("mkfifo", fifo.toString()).requireSuccess();
        Path directory = Files.createDirectories(sandbox.work().resolve("ckpt_dir.stasis"));
        for (Path notAnImage : new Path[] {fifo, directory}) {
            assertOneLine(restart(notAnImage), 4, "is not an image file");
            assertOneLine(Coordinator.embedded(sandbox).stasis("inspect", notAnImage.toString()), 4,
                    "is not an image file");
        }
    }

    /** The programs run as nobody: an image only its owner may read is invalid for them, and says why. */
    @Test
    void anUnreadableImageSaysSo() throws IOException {
        Assumptions.assumeTrue(sandbox.runAs().dropsPrivileges(), "the programs run as root, who reads everything");
        Path unreadable = Files.copy(image, sandbox.work().resolve("ckpt_secret.stasis"));
        Files.setAttribute(unreadable, "unix:uid", 0);
        Files.setPosixFilePermissions(unreadable, Set.of(PosixFilePermission.OWNER_READ));
        assertOneLine(restart(unreadable), 4, "cannot read " + unreadable + ": Permission denied");
        assertOneLine(Coordinator.embedded(sandbox).stasis("inspect", unreadable.toString()), 4,
                "cannot read " + unreadable + ": Permission denied");
    }

    /** An image restarts what it holds, whatever its name: renamed, it says which program that is. */
    @Test
    void aRenamedImageNamesTheProgramItHolds() throws IOException {
        try (Sandbox box = Sandbox.create(Programs.HOME)) {
            ProgramDescription counter = Programs.named("counter");
            Lifecycle life = new Lifecycle(box, counter, PluginSet.all());
            Lifecycle.Checkpointed taken = life.checkpointAndKill();
            String written = taken.image().getFileName().toString();
            Path renamed = Files.move(taken.image(), box.work().resolve("ckpt_sleeper_1a2b-42-3c.stasis"));
            StasisProcess restarted = life.coordinator().restart(renamed);
            assertThat(restarted.waitFor(Duration.ofSeconds(60))).as(restarted.describe()).isZero();
            assertThat(restarted.errorLines()).as(restarted.describe()).containsExactly(
                    "stasis: restarting counter (pid " + taken.launched().pid()
                            + ", from ckpt_sleeper_1a2b-42-3c.stasis, written as " + written + ")");
            OutputCheck.verify(counter, taken.launched().lines(), "renamed image\n" + restarted.describe());
        }
    }

    /** A full disk (here /dev/full as the temporary image) says so in words; the next checkpoint works. */
    @Test
    void aFullDiskIsSaidInWords() throws IOException {
        try (Sandbox box = Sandbox.create(Programs.HOME)) {
            ProgramDescription counter = Programs.named("counter").withCommand("${programs}/counter 400 50");
            Lifecycle life = new Lifecycle(box, counter, PluginSet.all());
            StasisProcess launched = life.launch();
            launched.waitForOutput(counter.ready().pattern(), counter.timeout());
            String list = life.coordinator().stasis("command", "--list", "--json").requireSuccess().output();
            Matcher id = Pattern.compile("\"uniqueId\":\"([^\"]+)\".*\"realPid\":(\\d+)").matcher(list);
            assertThat(id.find()).as(list).isTrue();
            // the temporary image: .<image name>.tmp, or .<image name>.<writer's pid>.tmp
            String image = ".ckpt_counter_" + id.group(1) + ".stasis.";
            List<Path> full = List.of(box.work().resolve(image + "tmp"),
                    box.work().resolve(image + id.group(2) + ".tmp"));
            for (Path tmp : full) {
                Files.createSymbolicLink(tmp, Path.of("/dev/full"));
            }
            CommandResult failed = life.coordinator().checkpoint();
            assertOneLine(failed, 6, "writing the image failed: No space left on device");
            assertThat(failed.stderr().get(0)).doesNotContain("error 28");
            assertThat(full).as("the temporary image written is gone")
                    .filteredOn(tmp -> Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)).hasSize(1);

            life.coordinator().checkpoint().requireSuccess();
            launched.kill9Tree();
            StasisProcess restarted = life.coordinator().restart(life.coordinator().images().toArray(Path[]::new));
            launched.waitForOutput(counter.finished().pattern(), counter.timeout());
            assertThat(restarted.waitFor(Duration.ofSeconds(60))).as(restarted.describe()).isZero();
            OutputCheck.verify(counter, launched.lines(), "after a full disk\n" + restarted.describe());
        }
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
