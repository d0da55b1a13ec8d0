package io.stasis.coordinator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Looking at processes of this machine through /proc. */
class LocalProcessProbeTest {

    private final String node = readNode();

    private static String readNode() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRunningProcessIsNotGoneAnExitedOneIs() throws Exception {
        LocalProcessProbe probe = new LocalProcessProbe();
        assertThat(probe.isGone(node, ProcessHandle.current().pid())).isFalse();
        assertThat(probe.isGone("", ProcessHandle.current().pid())).isFalse();
        Process child = new ProcessBuilder("true").start();
        child.waitFor();
        assertThat(probe.isGone(node, child.pid())).isTrue();
    }

    /** {@code sleep 0}'s parent becomes a {@code sleep 2} that never reaps it: a zombie for two seconds. */
    @Test
    void aZombieIsGone() throws Exception {
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 2").start();
        try {
            long pid = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                    parent.getInputStream())).readLine().strip());
            Path stat = Path.of("/proc/" + pid + "/stat");
            for (int i = 0; i < 500 && !Files.readString(stat).contains(") Z"); i++) {
                Thread.sleep(2);
            }
            assertThat(Files.readString(stat)).contains(") Z");
            assertThat(new LocalProcessProbe().isGone(node, pid)).isTrue();
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void processesOfOtherHostsAreNeverKnownToBeGone() {
        assertThat(new LocalProcessProbe().isGone("some-other-host", Integer.MAX_VALUE)).isFalse();
    }
}
