package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.image.Image;
import io.stasis.image.ImageReader;
import io.stasis.image.ImageVerifier;
import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a checkpoint leaves on disk, and what `stasis inspect` (DMTCP's readdmtcp) says of it. */
class ImageFilesTest {

    private static Sandbox sandbox;
    private static Path image;

    @BeforeAll
    static void checkpointTheFourThreadProgram() {
        sandbox = Sandbox.create(Programs.HOME);
        Coordinator debugging = Coordinator.embedded(sandbox).withEnvironment("STASIS_DEBUG", "1");
        image = new Lifecycle(sandbox, Programs.named("threads4"), PluginSet.all(), debugging).checkpointAndKill()
                .image();
    }

    @AfterAll
    static void cleanUp() {
        sandbox.close();
    }

    @Test
    void imageIsPrivateAndComplete() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(image))).isEqualTo("rw-------");
        assertThat(image.getFileName().toString()).matches("ckpt_threads4_[0-9a-f]{8}-[0-9]+-[0-9a-f]+\\.stasis");
        try (Stream<Path> files = Files.list(sandbox.work())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary image left")
                    .noneMatch(name -> name.endsWith(".tmp"));
        }
        Image read = ImageReader.open(image);
        assertThat(ImageVerifier.verify(read, true).problems()).isEmpty();
        assertThat(read.threads()).as("4 workers, reader, spinner, holder, main, checkpoint thread").hasSize(9);
        assertThat(read.process().program()).isEqualTo("threads4");
    }

    @Test
    void restartScriptIsWrittenNextToTheImages() throws IOException {
        Path script = sandbox.work().resolve("stasis_restart_script.sh");
        assertThat(script).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwx------");
        assertThat(Files.readString(script)).contains(image.getFileName().toString());
    }

    /** One uniquely named log per process in $STASIS_TMPDIR, like DMTCP's jassert logs, mode 0600. */
    @Test
    void debugLogsArePrivateAndOnePerProcess() throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(sandbox.tmp())) {
            logs = files.filter(p -> p.getFileName().toString().matches("stasis-threads4-[0-9]+-[0-9]+\\.log")).toList();
        }
        assertThat(logs).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs.get(0)))).isEqualTo("rw-------");
        assertThat(Files.readString(logs.get(0))).contains("checkpoint 1 done");
    }

    @Test
    void inspectDescribesTheImage() {
        CommandResult r = sandbox.runStasis("inspect", image.toString()).requireSuccess();
        assertThat(r.output()).contains("program     threads4").contains("checksums   ok").contains("[heap]")
                .contains("[stack]").contains("Threads (9)").contains("stasis:ckpt").contains("pid-virt");
        assertThat(sandbox.runStasis("inspect", "--json", image.toString()).requireSuccess().output())
                .startsWith("{").contains("\"verification\"").contains("\"regions\"");
    }

    @Test
    void inspectReportsAChecksumFailure() throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        long payload = ImageReader.open(image).blocks().get(1).payloadOffset();
        bytes[(int) payload] ^= 1;
        Path spoiled = Files.write(sandbox.work().resolve("ckpt_spoiled.stasis"), bytes);
        CommandResult r = sandbox.runStasis("inspect", spoiled.toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.output() + r.errorOutput()).contains("checksum mismatch");
    }
}
