package io.stasis.tests.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test-support library itself, with plain commands only: no Stasis needed. */
@ExtendWith(SandboxExtension.class)
class SandboxSmokeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void followsOutputThenKill9LeavesItReadable(Sandbox sandbox) {
        StasisProcess process = sandbox.start("/bin/sh", "-c", "echo hi; sleep 30");
        assertThat(process.waitForOutput("^hi$", WAIT)).isEqualTo("hi");
        assertThat(process.isAlive()).isTrue();

        process.kill9();

        assertThat(process.isAlive()).isFalse();
        assertThat(process.waitFor(WAIT)).isEqualTo(137);
        assertThat(process.lines()).containsExactly("hi");
        assertThat(process.stdoutFile()).startsWith(sandbox.outputDir()).hasFileName("01-sh.out");
    }

    @Test
    void runReportsExitCodeAndKeepsStderrApart(Sandbox sandbox) {
        CommandResult result = sandbox.run("/bin/sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).containsExactly("out");
        assertThat(result.stderr()).containsExactly("err");
        assertThatThrownBy(result::requireSuccess).isInstanceOf(AssertionError.class)
                .hasMessageContaining("exited with 3, expected 0").hasMessageContaining("err");
        assertThat(result.requireExitCode(3)).isSameAs(result);
    }

    @Test
    void processesRunUnprivilegedInTheSandbox(Sandbox sandbox) {
        CommandResult result = sandbox.run("/bin/sh", "-c", "id -u; id -g; id -G; echo $HOME; echo $TMPDIR; "
                + "echo $STASIS_TMPDIR; pwd; grep CapEff /proc/self/status; "
                + "touch \"$HOME/h\" \"$TMPDIR/t\" w && echo wrote").requireSuccess();
        List<String> out = result.stdout();
        if (sandbox.runAs().dropsPrivileges()) {
            assertThat(out.subList(0, 3)).containsExactly("65534", "65534", "65534");
            assertThat(out.get(7)).matches("CapEff:\\s+0+");
        } else {
            assertThat(out.get(0)).isEqualTo(String.valueOf(sandbox.runAs().uid()));
        }
        assertThat(out.subList(3, 7)).containsExactly(sandbox.home().toString(), sandbox.tmp().toString(),
                sandbox.tmp().toString(), sandbox.work().toString());
        assertThat(out.get(8)).isEqualTo("wrote");
        assertThat(sandbox.path("w")).exists();
    }

    @Test
    void closeKillsDescendantsDaemonsAndNewSessions() throws IOException {
        Sandbox sandbox = Sandbox.create();
        Path dir = sandbox.dir();
        // A child, a child in its own session, and an orphan double-forked away from the shell.
        StasisProcess shell = sandbox.start("/bin/sh", "-c",
                "sleep 300 & echo $!; setsid sleep 301 & echo $!; (sleep 302 & echo $!); echo started; wait");
        List<String> lines = shell.waitForOutput(l -> l.contains("started"), WAIT);
        List<Long> pids = lines.subList(0, 3).stream().map(Long::parseLong).toList();
        assertThat(pids).allMatch(ProcessTable::isRunning);
        assertThat(ProcessTable.parent(pids.get(2))).isNotEqualTo(java.util.Optional.of(shell.pid()));

        sandbox.close();

        assertThat(pids).noneMatch(ProcessTable::isRunning);
        assertThat(shell.isAlive()).isFalse();
        assertThat(dir).doesNotExist();
        sandbox.close();
    }

    @Test
    void kill9TreeTakesTheChildrenToo(Sandbox sandbox) {
        StasisProcess shell = sandbox.start("/bin/sh", "-c", "sleep 300 & echo $!; wait");
        long child = Long.parseLong(shell.waitForOutput("^[0-9]+$", WAIT));
        shell.kill9Tree();
        assertThat(ProcessTable.isRunning(child)).isFalse();
        assertThat(shell.isAlive()).isFalse();
    }

    @Test
    void zombiesAreNotRunning(Sandbox sandbox) {
        // The shell execs into a sleep that never reaps the background child: it stays a zombie.
        StasisProcess parent = sandbox.start("/bin/sh", "-c", "sleep 0.2 & echo $!; exec sleep 30");
        long zombie = Long.parseLong(parent.waitForOutput("^[0-9]+$", WAIT));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ProcessTable.state(zombie).orElse('?') != 'Z' && System.nanoTime() < deadline) {
            StasisProcess.sleep(Duration.ofMillis(20));
        }
        assertThat(ProcessTable.state(zombie)).contains('Z');
        assertThat(ProcessTable.isRunning(zombie)).isFalse();
        assertThat(sandbox.runningProcesses()).contains(parent.pid()).doesNotContain(zombie);
    }

    @Test
    void waitForOutputTimesOutWithTheOutputSoFar(Sandbox sandbox) {
        StasisProcess process = sandbox.start("/bin/sh", "-c", "echo something else; sleep 30");
        assertThatThrownBy(() -> process.waitForOutput("never", Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("timed out")
                .hasMessageContaining("something else");
    }

    @Test
    void waitForOutputGivesUpSoonOnceNothingCanWrite(Sandbox sandbox) {
        StasisProcess process = sandbox.start("/bin/sh", "-c", "echo crashed >&2; exit 1");
        long start = System.nanoTime();
        assertThatThrownBy(() -> process.waitForOutput("never", Duration.ofSeconds(60)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("exited with 1")
                .hasMessageContaining("crashed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void waitsForWholeLinesOnly(Sandbox sandbox) {
        StasisProcess process = sandbox.start("/bin/sh", "-c", "printf 'count 1'; sleep 0.5; printf '2\\n'; sleep 30");
        assertThat(process.waitForOutput(lines -> !lines.isEmpty(), WAIT)).containsExactly("count 12");
    }

    @Test
    void stdinCanBeAPipe(Sandbox sandbox) throws IOException {
        StasisProcess cat = sandbox.command("cat").stdinPipe().start();
        cat.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
        cat.stdin().flush();
        assertThat(cat.waitForOutput("hello", WAIT)).isEqualTo("hello");
        cat.stdin().close();
        assertThat(cat.waitFor(WAIT)).isZero();
    }

    @Test
    void environmentCanBeAddedAndRemoved(Sandbox sandbox) {
        Coordinator coordinator = Coordinator.embedded(sandbox);
        CommandResult result = sandbox.command("/bin/sh", "-c",
                        "echo \"$STASIS_COORD_PORT $STASIS_COORD_HOST ${" + Sandbox.MARKER + ":+marked} ${HOME:-nohome}\"")
                .env(coordinator.environment()).withoutEnv("HOME").run().requireSuccess();
        assertThat(result.stdout()).containsExactly(coordinator.port() + " 127.0.0.1 marked nohome");
    }

    @Test
    void signalsByName(Sandbox sandbox) {
        StasisProcess process = sandbox.start("/bin/sh", "-c", "trap 'echo got TERM; exit 7' TERM; echo ready; "
                + "while true; do sleep 0.05; done");
        process.waitForOutput("ready", WAIT);
        process.signal("TERM");
        assertThat(process.waitFor(WAIT)).isEqualTo(7);
        assertThat(process.lines()).contains("got TERM");
    }

    @Test
    void freePortsAreDistinctAndBindable(Sandbox sandbox) throws IOException {
        int first = sandbox.freePort();
        int second = sandbox.freePort();
        assertThat(first).isNotEqualTo(second);
        try (ServerSocket socket = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(first);
        }
    }

    @Test
    void knowsWhereEverythingIs(StasisHome home) {
        assertThat(home.stasis()).endsWith(Path.of("dist/target/stasis/bin/stasis"));
        assertThat(home.restarter()).endsWith(Path.of("libexec/stasis-restart"));
        assertThat(home.nativeLibrary("libstasis.so")).endsWith(Path.of("lib/native/libstasis.so"));
        assertThat(home.program("counter")).endsWith(Path.of("native/target/test-programs/counter"));
        assertThat(home.goldenImages()).isEqualTo(home.repo().resolve("tests/golden"));
        assertThat(Files.isDirectory(home.repo().resolve("tests"))).isTrue();
    }
}
