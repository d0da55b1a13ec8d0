package io.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stasis.coordinator.report.CheckpointSummary;
import io.stasis.coordinator.report.FailureSummary;
import io.stasis.coordinator.report.ProcessView;
import io.stasis.coordinator.report.StatusReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small decisions of the command line, each on its own. */
class UnitsTest {

    @TempDir
    Path tmp;

    @Test
    void programsAreFoundLikeAShellFindsThem() throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path script = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        script.toFile().setExecutable(true);
        Files.writeString(tmp.resolve("local"), "#!/bin/sh\n").toFile().setExecutable(true);
        assertThat(ProgramResolver.resolve("tool", "/nonexistent:" + bin, tmp)).isEqualTo(script);
        assertThat(ProgramResolver.resolve("tool", "bin", tmp)).isEqualTo(script);
        assertThat(ProgramResolver.resolve("local", "/nonexistent:", tmp)).isEqualTo(tmp.resolve("local"));
        assertThat(ProgramResolver.resolve("./bin/tool", "", tmp)).isEqualTo(script);
        assertThatThrownBy(() -> ProgramResolver.resolve("local", "/nonexistent", tmp))
                .hasMessage("local: command not found");
        assertThatThrownBy(() -> ProgramResolver.resolve("bin", "", tmp)).hasMessage("bin: command not found");
        assertThatThrownBy(() -> ProgramResolver.resolve("./bin", "", tmp)).hasMessage("./bin: is a directory");
        assertThat(ProgramResolver.resolve("sh", System.getenv("PATH"), tmp)).isNotNull();
    }

    @Test
    void elfInterpreterDetection() throws Exception {
        assertThat(ElfInfo.hasInterpreter(ProgramResolver.resolve("sh", System.getenv("PATH"), tmp)))
                .contains(true);
        assertThat(ElfInfo.hasInterpreter(ExitCodeTest.staticElf(tmp.resolve("static")))).contains(false);
        assertThat(ElfInfo.hasInterpreter(Files.writeString(tmp.resolve("script"), "#!/bin/sh\n"))).isEmpty();
        assertThat(ElfInfo.hasInterpreter(tmp.resolve("missing"))).isEmpty();
    }

    @Test
    void settingsPrecedence() throws Exception {
        Path config = Files.writeString(tmp.resolve("c.properties"), "coord.host=filehost\ncoord.port=1111\n");
        Map<String, String> env = Map.of("STASIS_COORD_PORT", "2222");
        Settings fromFileAndEnv = Settings.resolve(env, tmp, Optional.of(config), null, null, null);
        assertThat(fromFileAndEnv.coordinator()).isEqualTo(new CoordinatorAddress("filehost", 2222));
        assertThat(fromFileAndEnv.checkpointDir()).isEmpty();
        Settings flags = Settings.resolve(env, tmp, Optional.of(config), "flaghost", 3333, Path.of("d"));
        assertThat(flags.coordinator()).isEqualTo(new CoordinatorAddress("flaghost", 3333));
        assertThat(flags.checkpointDir()).contains(tmp.resolve("d"));
        Settings defaults = Settings.resolve(Map.of("HOME", tmp.toString()), tmp, Optional.empty(), null, null, null);
        assertThat(defaults.coordinator()).isEqualTo(new CoordinatorAddress("127.0.0.1", 7779));
        assertThatThrownBy(() -> Settings.resolve(Map.of("STASIS_COORD_PORT", "0"), tmp, Optional.empty(), null, null,
                null)).isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    }

    @Test
    void coordinatorAddressLocality() {
        assertThat(new CoordinatorAddress("127.0.0.1", 1).isLocal()).isTrue();
        assertThat(new CoordinatorAddress("localhost", 1).isLoopback()).isTrue();
        assertThat(new CoordinatorAddress("192.0.2.1", 1).isLocal()).isFalse();
    }

    @Test
    void statusIsReadable() {
        StatusReport status = new StatusReport("127.0.0.1", 7779, 1, 3, false, 60,
                Optional.of(new CheckpointSummary(3, Instant.parse("2025-01-01T12:00:00Z"), 2300, 3L << 30,
                        List.of("/ckpt/ckpt_a_1.stasis"))),
                Optional.of(new FailureSummary(2, Instant.parse("2025-01-01T11:00:00Z"), "pid 9 (b) disconnected")));
        String text = StatusText.render(status, List.of(new ProcessView("u-1", 4242, 5151, "node1", "a.out",
                "running", 3, "c")), ZoneOffset.UTC);
        assertThat(text).isEqualTo("""
                coordinator 127.0.0.1:7779, generation 3, checkpoint every 60 s
                1 process:
                  PID   REAL PID  HOST   STATE    GEN  PROGRAM  UNIQUE ID
                  4242  5151      node1  running  3    a.out    u-1
                last checkpoint: generation 3 at 2025-01-01 12:00:00, 3.0 GiB in 2.3 s
                  /ckpt/ckpt_a_1.stasis
                last failure: generation 2 at 2025-01-01 11:00:00: pid 9 (b) disconnected
                """);
    }

    @Test
    void progressLineOverwritesItself() {
        var bytes = new java.io.ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new java.io.PrintStream(bytes, true));
        p.show(new io.stasis.coordinator.protocol.Progress(2, 512L << 20, 1L << 30));
        p.show(new io.stasis.coordinator.protocol.Progress(2, 1L << 30, 1L << 30));
        p.finish();
        assertThat(bytes.toString()).startsWith("\rcheckpoint 2: 512.0 MiB of 1.0 GiB (50%)")
                .contains("\rcheckpoint 2: 1.0 GiB of 1.0 GiB (100%)").endsWith("\r");
    }
}
