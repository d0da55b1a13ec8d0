package io.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import io.stasis.coordinator.client.CommandClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stasis launch} and {@code stasis restart} up to the exec, against a real coordinator. */
class LaunchTest {

    @TempDir
    Path tmp;

    private TestCli cli;
    private CoordinatorServer coordinator;
    private Installation installation;

    @BeforeEach
    void setUp() throws Exception {
        cli = new TestCli(tmp);
        installation = TestCli.fakeInstallation(tmp.resolve("home"), true);
        cli.installation = Optional.of(installation);
        coordinator = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(), cli.env);
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
    }

    private String port() {
        return String.valueOf(coordinator.port());
    }

    @Test
    void launchBecomesTheProgramWithTheStasisEnvironment() throws Exception {
        cli.env.put("LD_PRELOAD", "/opt/mine.so");
        cli.env.put("STASIS_DEBUG", "1");
        cli.env.put("STASIS_SIGCKPT", "10");
        assertThat(cli.run("launch", "--coord-port", port(), "sh", "-c", "echo hi", "--help")).as(cli.err()).isZero();

        TestCli.Exec exec = cli.lastExec();
        assertThat(exec.program().isAbsolute()).isTrue();
        assertThat(exec.program().getFileName()).hasToString("sh");
        assertThat(exec.argv()).containsExactly("sh", "-c", "echo hi", "--help");
        Map<String, String> env = exec.env();
        Path nativeDir = installation.nativeLibDir();
        assertThat(env.get("LD_PRELOAD")).isEqualTo(nativeDir.resolve("libstasis.so") + ":"
                + nativeDir.resolve("libstasis_files.so") + ":" + nativeDir.resolve("libstasis_pidvirt.so")
                + ":/opt/mine.so");
        assertThat(env).containsEntry("STASIS_COORD_HOST", "127.0.0.1")
                .containsEntry("STASIS_COORD_PORT", port())
                .containsEntry("STASIS_SECRET", coordinator.secret().hex())
                .containsEntry("STASIS_CKPT_DIR", tmp.toString())
                .containsEntry("STASIS_PLUGINS", "files,pid-virt")
                .containsEntry("STASIS_HOME", installation.home().toString())
                .containsEntry("STASIS_TMPDIR", tmp.toString())
                .containsEntry("STASIS_DEBUG", "1")
                .containsEntry("STASIS_SIGCKPT", "10")
                .containsEntry("PATH", System.getenv("PATH"));
        assertThat(env.get("STASIS_COMPUTATION_ID")).matches("[0-9a-f]{32}");
    }

    @Test
    void everyLaunchIsANewComputation() {
        cli.run("launch", "--coord-port", port(), "true");
        cli.run("launch", "--coord-port", port(), "true");
        assertThat(cli.execs.get(0).env().get("STASIS_COMPUTATION_ID"))
                .isNotEqualTo(cli.execs.get(1).env().get("STASIS_COMPUTATION_ID"));
    }

    @Test
    void disabledPluginLeavesPreloadAndList() {
        assertThat(cli.run("launch", "--coord-port", port(), "--disable", "files", "true")).isZero();
        assertThat(cli.lastExec().env().get("LD_PRELOAD")).isEqualTo(installation.runtimeLibrary() + ":"
                + installation.fragment("libstasis_pidvirt.so"));
        assertThat(cli.lastExec().env()).containsEntry("STASIS_PLUGINS", "pid-virt");
    }

    @Test
    void missingFragmentOfAnEnabledPluginNamesIt() throws Exception {
        Files.delete(installation.fragment("libstasis_pidvirt.so"));
        assertThat(cli.run("launch", "--coord-port", port(), "true")).isEqualTo(1);
        assertThat(cli.err()).contains("plugin 'pid-virt' is enabled but its native fragment").hasLineCount(1);
        assertThat(cli.run("launch", "--coord-port", port(), "--disable", "pid-virt", "true")).isZero();
    }

    @Test
    void missingRuntimeIsAnError() throws Exception {
        Files.delete(installation.runtimeLibrary());
        assertThat(cli.run("launch", "--coord-port", port(), "true")).isEqualTo(1);
        assertThat(cli.err()).contains("libstasis.so is missing");
    }

    @Test
    void unknownPluginIsAUsageError() {
        assertThat(cli.run("launch", "--coord-port", port(), "--disable", "nope", "true")).isEqualTo(2);
        assertThat(cli.err()).contains("unknown plugin 'nope' (known: files, ipc, pid-virt, pty, sockets)");
    }

    @Test
    void checkpointDirectoryFromFlagEnvironmentOrConfig() throws Exception {
        cli.run("launch", "--coord-port", port(), "--ckpt-dir", "images", "true");
        assertThat(cli.lastExec().env()).containsEntry("STASIS_CKPT_DIR", tmp.resolve("images").toString());
        assertThat(tmp.resolve("images")).isDirectory();

        Path config = Files.writeString(tmp.resolve("stasis.properties"),
                "ckpt.dir=" + tmp.resolve("from-config") + "\ncoord.port=" + port() + "\n");
        cli.run("launch", "--config", config.toString(), "true");
        assertThat(cli.lastExec().env()).containsEntry("STASIS_CKPT_DIR", tmp.resolve("from-config").toString())
                .containsEntry("STASIS_COORD_PORT", port());

        cli.env.put("STASIS_CKPT_DIR", tmp.resolve("from-env").toString());
        cli.run("launch", "--config", config.toString(), "true");
        assertThat(cli.lastExec().env()).containsEntry("STASIS_CKPT_DIR", tmp.resolve("from-env").toString());
    }

    @Test
    void intervalIsSetOnARunningCoordinator() throws Exception {
        assertThat(cli.run("launch", "--coord-port", port(), "--interval", "45", "true")).isZero();
        try (CommandClient client = CommandClient.connect("127.0.0.1", coordinator.port(), coordinator.secret())) {
            assertThat(client.status().intervalSeconds()).isEqualTo(45);
        }
    }

    @Test
    void restartExecsTheRestarterWithTheImagesDirectory() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("ckpt"));
        Path image = images.resolve("ckpt_counter_1-2-3.stasis");
        Files.write(image, ValidImage.bytes());
        assertThat(cli.run("restart", "--coord-port", port(), "ckpt/ckpt_counter_1-2-3.stasis")).as(cli.err()).isZero();
        TestCli.Exec exec = cli.lastExec();
        assertThat(exec.program()).isEqualTo(installation.restarter());
        assertThat(exec.argv()).containsExactly(installation.restarter().toString(), image.toString());
        assertThat(exec.env()).containsEntry("STASIS_CKPT_DIR", images.toString())
                .containsEntry("STASIS_SECRET", coordinator.secret().hex())
                .containsEntry("STASIS_COORD_PORT", port())
                .doesNotContainKeys("STASIS_COMPUTATION_ID", "STASIS_PLUGINS");
    }

    @Test
    void commandsAgainstARunningCoordinator() {
        assertThat(cli.run("status", "--coord-port", port())).isZero();
        assertThat(cli.out()).startsWith("coordinator 127.0.0.1:" + port() + ", generation 0").contains("0 processes");
        assertThat(cli.run("command", "--list", "--json", "--coord-port", port())).isZero();
        assertThat(cli.out()).isEqualTo("[]\n");
        assertThat(cli.run("command", "--interval", "9", "--coord-port", port())).isZero();
        assertThat(cli.out()).isEqualTo("checkpoint every 9 s\n");
        assertThat(cli.run("checkpoint", "--coord-port", port())).isEqualTo(6);
        assertThat(cli.err()).isEqualTo("stasis: no processes to checkpoint\n");
        assertThat(cli.run("command", "-c", "--coord-port", port())).isEqualTo(6);
        assertThat(cli.run("command", "--kill", "--coord-port", port())).isZero();
        assertThat(cli.out()).isEqualTo("sent KILL to 0 processes\n");
        assertThat(cli.run("command", "--quit", "--coord-port", port())).isZero();
        assertThat(cli.run("status", "--coord-port", port())).isEqualTo(3);
    }
}
