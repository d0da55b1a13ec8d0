package io.stasis.coordinator.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.engine.CheckpointOutcome;
import io.stasis.coordinator.engine.ImageInfo;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartScriptWriterTest {

    @TempDir
    Path tmp;

    private static ImageInfo image(String host, Path path) {
        return new ImageInfo(host, "prog", 1, "u", path.toString(), 10, 20, 30);
    }

    private static CheckpointOutcome outcome(ImageInfo... images) {
        return new CheckpointOutcome(3, true, "", 1_700_000_000_000L, 5, List.of(images));
    }

    @Test
    void scriptRestartsTheImagesRelativeToItsOwnDirectory() throws Exception {
        String host = InetAddress.getLocalHost().getHostName();
        Path ckpt = Files.createDirectory(tmp.resolve("ckpt"));
        List<Path> scripts = new RestartScriptWriter().write(outcome(
                image(host, ckpt.resolve("ckpt_a_1.stasis")), image(host, ckpt.resolve("ckpt_it's_2.stasis"))),
                "127.0.0.1", 7779);
        assertThat(scripts).containsExactly(ckpt.resolve(RestartScriptWriter.FILE_NAME));
        Path script = scripts.get(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwx------");
        assertThat(Files.readString(script)).contains("coord_host='127.0.0.1'\ncoord_port=7779\n")
                .doesNotContain(ckpt.toString());

        // moved elsewhere, run with a stand-in for stasis that prints its arguments
        Path moved = Files.move(ckpt, tmp.resolve("moved"));
        Path fake = tmp.resolve("fake-stasis");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        fake.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("bash", moved.resolve(RestartScriptWriter.FILE_NAME).toString());
        pb.environment().put("STASIS_BIN", fake.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines()).containsExactly("restart", "--coord-host", "127.0.0.1", "--coord-port", "7779",
                moved.resolve("ckpt_a_1.stasis").toString(), moved.resolve("ckpt_it's_2.stasis").toString());
    }

    @Test
    void imagesOnSeveralHostsAreRestartedInParallel() throws Exception {
        String text = RestartScriptWriter.render(List.of(image("n1", tmp.resolve("a")), image("n2", tmp.resolve("b")),
                image("n1", tmp.resolve("c"))), 3, java.time.Instant.EPOCH, "head", 9000);
        assertThat(text).contains("restart_on 'n1' \\\n    'a' \\\n    'c' &\n")
                .contains("restart_on 'n2' \\\n    'b' &\n")
                .endsWith("wait\n");
        Path script = Files.writeString(tmp.resolve("s.sh"), text);
        Process syntax = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        assertThat(syntax.waitFor()).isZero();
    }

    @Test
    void oneScriptPerImageDirectoryAndNoneForDirectoriesItCannotSee() throws Exception {
        Path d1 = Files.createDirectory(tmp.resolve("d1"));
        Path d2 = Files.createDirectory(tmp.resolve("d2"));
        List<Path> scripts = new RestartScriptWriter().write(outcome(image("h", d1.resolve("a")),
                image("h", d2.resolve("b")), image("h", tmp.resolve("missing/c")), image("h", Path.of("relative"))),
                "h", 1);
        assertThat(scripts).containsExactly(d1.resolve(RestartScriptWriter.FILE_NAME),
                d2.resolve(RestartScriptWriter.FILE_NAME));
        assertThat(Files.readString(scripts.get(0))).contains("'a'").doesNotContain("'b'");
    }
}
