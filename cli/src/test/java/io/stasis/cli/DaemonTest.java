package io.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.state.StateDirectory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Detached coordinators: real JVMs started through setsid, found and stopped through their state directory. */
@Timeout(60)
class DaemonTest {

    @TempDir
    Path tmp;

    private TestCli cli;

    @BeforeEach
    void setUp() {
        cli = new TestCli(tmp);
    }

    @Test
    void daemonStartsOnAnEphemeralPortAndQuits() throws Exception {
        Path portFile = tmp.resolve("port");
        assertThat(cli.run("coordinator", "--daemon", "--port", "0", "--port-file", portFile.toString()))
                .as(cli.err()).isZero();
        int port = Integer.parseInt(Files.readString(portFile).strip());
        assertThat(cli.out()).startsWith("stasis coordinator started on 127.0.0.1:" + port + " (log ");
        StateDirectory state = StateDirectory.forPort(cli.env, port);
        ProcessHandle daemon = ProcessHandle.of(state.readPid()).orElseThrow();
        assertThat(daemon.parent().map(ProcessHandle::pid)).isNotEqualTo(Optional.of(ProcessHandle.current().pid()));

        assertThat(cli.run("status", "--coord-port", String.valueOf(port))).isZero();
        assertThat(cli.out()).contains("0 processes");
        assertThat(cli.run("command", "--quit", "--coord-port", String.valueOf(port))).isZero();
        daemon.onExit().get(10, TimeUnit.SECONDS);
        assertThat(state.path()).doesNotExist();
    }

    @Test
    void launchStartsAnExitOnLastCoordinatorWhenNoneAnswers() throws Exception {
        cli.installation = Optional.of(TestCli.fakeInstallation(tmp.resolve("home"), true));
        int port = freePort();
        assertThat(cli.run("launch", "--coord-port", String.valueOf(port), "--interval", "7", "true"))
                .as(cli.err()).isZero();
        StateDirectory state = StateDirectory.forPort(cli.env, port);
        assertThat(cli.lastExec().env()).containsEntry("STASIS_SECRET", state.readSecret().hex());
        ProcessHandle daemon = ProcessHandle.of(state.readPid()).orElseThrow();
        try (CommandClient client = CommandClient.connect("127.0.0.1", port, state.readSecret())) {
            assertThat(client.status().intervalSeconds()).isEqualTo(7);
            client.quit();
        }
        daemon.onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void daemonThatCannotListenSaysWhy() throws Exception {
        try (CoordinatorServer busy = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(),
                Map.of("STASIS_TMPDIR", tmp.resolve("other").toString()))) {
            assertThat(cli.run("coordinator", "--daemon", "--port", String.valueOf(busy.port()))).isEqualTo(1);
            assertThat(cli.err()).startsWith("stasis: cannot listen on 127.0.0.1:" + busy.port()).hasLineCount(1);
            assertThat(busy.awaitTermination(Duration.ZERO)).isFalse();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
