package io.stasis.coordinator.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.engine.CheckpointOutcome;
import io.stasis.coordinator.engine.ImageInfo;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /** A stand-in for stasis that prints one line per invocation: its arguments, space-separated. */
    private Path fakeStasis() throws Exception {
        Path fake = tmp.resolve("fake-stasis");
        Files.writeString(fake, "#!/bin/sh\necho \"$*\"\n");
        fake.toFile().setExecutable(true);
        return fake;
    }

    private String run(Path script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("STASIS_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void scriptRestartsEveryImageFromWhereverItsDirectoryWasMoved() throws Exception {
        String host = InetAddress.getLocalHost().getHostName();
        Path ckpt = Files.createDirectory(tmp.resolve("ckpt"));
        RestartScriptWriter writer = new RestartScriptWriter(Optional.of(fakeStasis()));
        List<Path> scripts = writer.write(outcome(image(host, ckpt.resolve("ckpt_a_1.stasis")),
                image(host, ckpt.resolve("ckpt_it's_2.stasis"))), "127.0.0.1", 7779);
        Path script = ckpt.resolve(writer.scriptName(7779));
        assertThat(scripts).containsExactly(script);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwx------");
        Path link = ckpt.resolve(RestartScriptWriter.FILE_NAME);
        assertThat(Files.readSymbolicLink(link)).isEqualTo(script.getFileName());
        assertThat(Files.readString(script)).contains("coord_host=${STASIS_COORD_HOST:-'127.0.0.1'}\n")
                .contains("coord_port=${STASIS_COORD_PORT:-7779}\n").doesNotContain(ckpt.toString());

        Path moved = Files.move(ckpt, tmp.resolve("moved"));
        String out = run(moved.resolve(RestartScriptWriter.FILE_NAME));
        assertThat(out).isEqualTo("restart --coord-host 127.0.0.1 --coord-port 7779 --restartdir " + moved
                + " ckpt_a_1.stasis ckpt_it's_2.stasis\n");
    }

    @Test
    void coordinatorAndImageDirectoryCanBeChangedWhenRunningIt() throws Exception {
        String host = InetAddress.getLocalHost().getHostName();
        Path ckpt = Files.createDirectory(tmp.resolve("ckpt"));
        new RestartScriptWriter(Optional.of(fakeStasis())).write(outcome(image(host, ckpt.resolve("ckpt_a_1.stasis"))),
                "127.0.0.1", 7779);
        String out = run(ckpt.resolve(RestartScriptWriter.FILE_NAME), "--coord-host", "head", "--coord-port", "9000",
                "--restartdir", "/elsewhere", "--path-map", "/old job=/new job", "--path-map", "/a=/b");
        assertThat(out).isEqualTo("restart --coord-host head --coord-port 9000 --restartdir /elsewhere "
                + "--path-map /old job=/new job --path-map /a=/b ckpt_a_1.stasis\n");
    }

    @Test
    void imagesOnSeveralHostsAreRestartedInParallel() throws Exception {
        String text = RestartScriptWriter.render(List.of(image("n1", tmp.resolve("a")), image("n2", tmp.resolve("b")),
                image("n1", tmp.resolve("c"))), tmp, 3, Instant.EPOCH, "it's", 9000, Optional.empty());
        assertThat(text).contains("# host n1: 2 images\nrestart_on 'n1' \\\n    'a' \\\n    'c' &\n")
                .contains("# host n2: 1 image\nrestart_on 'n2' \\\n    'b' &\n")
                .contains("coord_host=${STASIS_COORD_HOST:-'it'\\''s'}")
                .endsWith("exit \"$status\"\n");
        Path script = Files.writeString(tmp.resolve("s.sh"), text);
        Process syntax = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        assertThat(syntax.waitFor()).isZero();
    }

    /** Every directory gets the whole checkpoint; images elsewhere are named by their absolute path. */
    @Test
    void everyImageDirectoryGetsTheWholeCheckpoint() throws Exception {
        Path d1 = Files.createDirectory(tmp.resolve("d1"));
        Path d2 = Files.createDirectory(tmp.resolve("d2"));
        RestartScriptWriter writer = new RestartScriptWriter();
        List<Path> scripts = writer.write(outcome(image("h", d1.resolve("a")), image("h", d2.resolve("b")),
                image("h", tmp.resolve("missing/c")), image("h", Path.of("relative"))), "h", 1);
        assertThat(scripts).containsExactly(d1.resolve(writer.scriptName(1)), d2.resolve(writer.scriptName(1)));
        assertThat(Files.readString(scripts.get(0))).contains("'a'").contains("'" + d2.resolve("b") + "'")
                .contains("'" + tmp.resolve("missing/c") + "'");
        assertThat(Files.readString(scripts.get(1))).contains("'" + d1.resolve("a") + "'").contains("    'b' \\\n");
    }

    @Test
    void twoCoordinatorsSharingADirectoryKeepTheirOwnScripts() throws Exception {
        RestartScriptWriter writer = new RestartScriptWriter();
        writer.write(outcome(image("h", tmp.resolve("ckpt_one.stasis"))), "127.0.0.1", 7001);
        writer.write(outcome(image("h", tmp.resolve("ckpt_two.stasis"))), "127.0.0.1", 7002);
        assertThat(Files.readString(tmp.resolve(writer.scriptName(7001)))).contains("ckpt_one").doesNotContain("ckpt_two");
        assertThat(Files.readString(tmp.resolve(writer.scriptName(7002)))).contains("ckpt_two").doesNotContain("ckpt_one");
        assertThat(Files.readSymbolicLink(tmp.resolve(RestartScriptWriter.FILE_NAME)))
                .isEqualTo(Path.of(writer.scriptName(7002)));
    }
}
