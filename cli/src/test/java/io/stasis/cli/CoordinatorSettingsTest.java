package io.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stasis.api.config.ConfigKey;
import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import io.stasis.coordinator.client.CommandClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from option, variable, config file and default; and the documentation of every one of them. */
class CoordinatorSettingsTest {

    @TempDir
    Path tmp;

    private CoordinatorSettings resolve(Map<String, String> flags, Map<String, String> env) {
        return CoordinatorSettings.resolve(flags, env, tmp, Optional.empty());
    }

    @Test
    void optionThenVariableThenFileThenDefault() throws Exception {
        Path config = Files.writeString(tmp.resolve("stasis.properties"),
                "coord.bind=10.0.0.1\ncoord.barrier-timeout=30\nckpt.interval=5\ncoord.exit-after-ckpt=yes\n");
        Map<String, String> env = new HashMap<>(Map.of("STASIS_CONFIG", config.toString(),
                "STASIS_COORD_BARRIER_TIMEOUT", "40", "STASIS_COORD_CKPT_DIR", "images", "STASIS_CKPT_INTERVAL", ""));

        CoordinatorSettings s = resolve(Map.of("coord.barrier-timeout", "50"), env);
        assertThat(s.barrierTimeoutSeconds()).as("option").isEqualTo(50);
        s = resolve(Map.of(), env);
        assertThat(s.barrierTimeoutSeconds()).as("variable").isEqualTo(40);
        assertThat(s.bind()).as("file").isEqualTo("10.0.0.1");
        assertThat(s.intervalSeconds()).as("an empty variable is unset").isEqualTo(5);
        assertThat(s.exitAfterCheckpoint()).isTrue();
        assertThat(s.checkpointDir()).hasValue(tmp.resolve("images"));
        assertThat(s.port()).as("default").isEqualTo(7779);
        assertThat(s.exitOnLast()).isFalse();
        assertThat(s.portFile()).isEmpty();
    }

    @Test
    void badValuesAreUsageErrorsWhereverTheyComeFrom() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("STASIS_COORD_BARRIER_TIMEOUT", "soon")))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("STASIS_COORD_BARRIER_TIMEOUT");
        assertThatThrownBy(() -> resolve(Map.of("ckpt.interval", "-1"), Map.of()))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("STASIS_COORD_EXIT_ON_LAST", "perhaps")))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> resolve(Map.of("coord.port", "70000"), Map.of()))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    }

    @Test
    void coordinatorCommandTakesItsSettingsFromTheEnvironment() throws Exception {
        TestCli cli = new TestCli(tmp);
        Path portFile = tmp.resolve("port");
        cli.env.put("STASIS_COORD_PORT_FILE", portFile.toString());
        cli.env.put("STASIS_COORD_BARRIER_TIMEOUT", "never");
        assertThat(cli.run("coordinator", "--port", "0")).isEqualTo(2);
        assertThat(cli.err()).startsWith("stasis: coord.barrier-timeout (STASIS_COORD_BARRIER_TIMEOUT)").hasLineCount(1);
        assertThat(portFile).doesNotExist();
    }

    /** DMTCP's "checkpointing too soon": a checkpoint right after a launch waits for the program. */
    @Test
    void launchAnnouncesItsProgramAndTakesTheIntervalFromTheEnvironment() throws Exception {
        TestCli cli = new TestCli(tmp);
        cli.installation = Optional.of(TestCli.fakeInstallation(tmp.resolve("home"), true));
        try (CoordinatorServer coordinator = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(),
                cli.env)) {
            cli.env.put("STASIS_CKPT_INTERVAL", "33");
            assertThat(cli.run("launch", "--port", String.valueOf(coordinator.port()), "true")).as(cli.err()).isZero();
            try (CommandClient client = CommandClient.connect("127.0.0.1", coordinator.port(), coordinator.secret())) {
                assertThat(client.status().intervalSeconds()).isEqualTo(33);
                assertThat(client.checkpoint().text()).isEqualTo("checkpoint deferred: waiting for pid "
                        + ProcessHandle.current().pid() + " (launched)");
                assertThat(client.status().checkpointDeferred()).isPresent();
            }
        }
    }

    @Test
    void tmpdirFromOptionOrConfigFileBecomesStasisTmpdir() throws Exception {
        TestCli cli = new TestCli(tmp);
        cli.installation = Optional.of(TestCli.fakeInstallation(tmp.resolve("home"), true));
        Path other = Files.createDirectory(tmp.resolve("other"));
        try (CoordinatorServer coordinator = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(),
                Map.of("STASIS_TMPDIR", other.toString()))) {
            String port = String.valueOf(coordinator.port());
            assertThat(cli.run("status", "--port", port)).as("its state is not in $STASIS_TMPDIR").isEqualTo(3);
            assertThat(cli.run("status", "--port", port, "--tmpdir", "other")).as(cli.err()).isZero();
            assertThat(cli.run("launch", "--port", port, "--tmpdir", other.toString(), "true")).as(cli.err()).isZero();
            assertThat(cli.lastExec().env()).containsEntry("STASIS_TMPDIR", other.toString());

            cli.env.remove("STASIS_TMPDIR");
            Path config = Files.writeString(tmp.resolve("c.properties"), "tmpdir=" + other + "\ncoord.port=" + port);
            cli.env.put("STASIS_CONFIG", config.toString());
            assertThat(cli.run("status")).as(cli.err()).isZero();
        }
    }

    /** docs/environment.md is the source of truth: every setting is in its table, with its variable. */
    @Test
    void everySettingIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("docs/environment.md"));
        List<ConfigKey> keys = new ArrayList<>(CoordinatorSettings.KEYS);
        keys.addAll(List.of(Settings.COORD_HOST, Settings.CKPT_DIR, TmpdirOption.TMPDIR, RestartDirectory.KEY,
                RestartPathMap.KEY));
        keys.addAll(io.stasis.cli.batch.BatchSettings.KEYS);
        for (ConfigKey key : keys) {
            assertThat(doc).as(key.name()).containsPattern("\\| `" + key.environmentName() + "` \\| `"
                    + key.name().replace(".", "\\.") + "` \\|");
        }
        assertThat(doc).contains("| `--config` | `STASIS_CONFIG` |").contains("| `--exit-after-ckpt` |");
    }
}
