package io.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.state.StateDirectory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code stasis restart --join / --new-coordinator / --restartdir / --path-map}, up to the exec. */
@Timeout(60)
class RestartOptionsTest {

    @TempDir
    Path tmp;

    private TestCli cli;
    private Path image;

    @BeforeEach
    void setUp() throws Exception {
        cli = new TestCli(tmp);
        cli.installation = Optional.of(TestCli.fakeInstallation(tmp.resolve("home"), true));
        image = Files.createDirectories(tmp.resolve("moved")).resolve("ckpt_counter_1-2-3.stasis");
        Files.write(image, ValidImage.bytes());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void joinNeedsARunningCoordinator() throws Exception {
        assertThat(cli.run("restart", "--join", "--port", String.valueOf(freePort()), image.toString())).isEqualTo(3);
        assertThat(cli.err()).startsWith("stasis: no coordinator to join at 127.0.0.1:").hasLineCount(1);
        assertThat(cli.execs).isEmpty();
        try (CoordinatorServer coordinator = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(),
                cli.env)) {
            assertThat(cli.run("restart", "-j", "--port", String.valueOf(coordinator.port()), image.toString()))
                    .as(cli.err()).isZero();
            assertThat(cli.lastExec().env()).containsEntry("STASIS_SECRET", coordinator.secret().hex());
        }
    }

    @Test
    void newCoordinatorRefusesAPortInUseAndJoinExcludesIt() throws Exception {
        try (CoordinatorServer coordinator = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(),
                cli.env)) {
            String port = String.valueOf(coordinator.port());
            assertThat(cli.run("restart", "--new-coordinator", "--port", port, image.toString())).isEqualTo(3);
            assertThat(cli.err()).contains("a coordinator already runs at 127.0.0.1:" + port).hasLineCount(1);
            assertThat(cli.run("restart", "--join", "--new-coordinator", image.toString())).isEqualTo(2);
            assertThat(cli.execs).isEmpty();
        }
    }

    @Test
    void newCoordinatorOnAnyPortIsStartedAndNamed() throws Exception {
        assertThat(cli.run("restart", "--new-coordinator", "--port", "0", image.toString())).as(cli.err()).isZero();
        assertThat(cli.err()).startsWith("stasis: coordinator started on 127.0.0.1:");
        int port = Integer.parseInt(cli.lastExec().env().get("STASIS_COORD_PORT"));
        StateDirectory state = StateDirectory.forPort(cli.env, port);
        assertThat(cli.lastExec().env()).containsEntry("STASIS_SECRET", state.readSecret().hex());
        try (CommandClient client = CommandClient.connect("127.0.0.1", port, state.readSecret())) {
            client.quit();
        }
    }

    @Test
    void restartDirFindsRelativeImagesAndImagesThatMoved() throws Exception {
        try (CoordinatorServer coordinator = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(),
                cli.env)) {
            String port = String.valueOf(coordinator.port());
            assertThat(cli.run("restart", "--port", port, "--restartdir", "moved", image.getFileName().toString()))
                    .as(cli.err()).isZero();
            assertThat(cli.lastExec().argv()).endsWith(image.toString());
            // the absolute path a restart script recorded before the directory was moved
            cli.env.put("STASIS_RESTART_DIR", tmp.resolve("moved").toString());
            String old = tmp.resolve("was-here").resolve(image.getFileName()).toString();
            assertThat(cli.run("restart", "--port", port, old)).as(cli.err()).isZero();
            assertThat(cli.lastExec().argv()).endsWith(image.toString());
            assertThat(cli.lastExec().env()).containsEntry("STASIS_CKPT_DIR", tmp.resolve("moved").toString());
        }
    }

    @Test
    void pathMapReachesTheRestarterAbsoluteAndFromTheEnvironmentToo() throws Exception {
        try (CoordinatorServer coordinator = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(),
                cli.env)) {
            String port = String.valueOf(coordinator.port());
            assertThat(cli.run("restart", "--port", port, "--path-map", "/job/a/=/job/b", "--path-map", "old=new",
                    image.toString())).as(cli.err()).isZero();
            assertThat(cli.lastExec().argv()).containsSubsequence("--path-map", "/job/a=/job/b", "--path-map",
                    tmp.resolve("old") + "=" + tmp.resolve("new"), image.toString());
            // an image named where it was before its directory moved
            String before = tmp.resolve("was-here").resolve(image.getFileName()).toString();
            assertThat(cli.run("restart", "--port", port, "--path-map", "was-here=moved", before)).as(cli.err())
                    .isZero();
            assertThat(cli.lastExec().argv()).endsWith(image.toString());
            cli.env.put("STASIS_RESTART_PATH_MAP", "/x=/y:/z=/w");
            assertThat(cli.run("restart", "--port", port, image.toString())).as(cli.err()).isZero();
            assertThat(cli.lastExec().argv()).containsSubsequence("--path-map", "/x=/y", "--path-map", "/z=/w");
            assertThat(cli.run("restart", "--port", port, "--path-map", "/only-old", image.toString())).isEqualTo(2);
            assertThat(cli.err()).contains("--path-map wants OLD=NEW");
        }
    }
}
