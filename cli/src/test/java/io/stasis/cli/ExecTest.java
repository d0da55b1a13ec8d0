package io.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real execve, in a separate JVM: the program keeps the launcher's pid, sees the Stasis environment,
 * and inherits neither the JVM's blocked or ignored signals nor its own files. The installation is fake
 * (an empty libstasis.so, which ld.so reports and skips), so no native runtime is needed.
 */
@Timeout(60)
class ExecTest {

    @TempDir
    Path tmp;

    @Test
    void launchReplacesTheJvmWithTheProgram() throws Exception {
        Installation home = TestCli.fakeInstallation(tmp.resolve("home"), true);
        Map<String, String> env = Map.of("STASIS_TMPDIR", tmp.toString());
        try (CoordinatorServer coordinator = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(), env)) {
            // the masks are read by the shell itself: dash blocks every signal around each fork, so a
            // child reading /proc/$$/status may see that momentary mask instead of the one exec gave
            String script = "echo pid=$$; echo port=$STASIS_COORD_PORT; echo in-env=${STASIS_SECRET:-no}; "
                    + "echo secret-fd=$STASIS_SECRET_FD; echo secret=$(head -c 64 /proc/$$/fd/$STASIS_SECRET_FD); "
                    + "while read -r line; do case $line in SigBlk:*|SigIgn:*) echo \"$line\";; esac; "
                    + "done < /proc/$$/status; ls -l /proc/$$/fd/";
            List<String> command = new ArrayList<>(List.of("bash", "-c", "trap '' USR1; exec \"$@\"", "bash"));
            command.addAll(SelfCommand.ofThisJvm(java.util.Optional.of(home)).prefix());
            command.addAll(List.of("launch", "--coord-port", String.valueOf(coordinator.port()), "sh", "-c", script));
            ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
            pb.environment().put("STASIS_TMPDIR", tmp.toString());
            pb.redirectError(tmp.resolve("stderr").toFile());
            Process launcher = pb.start();
            String out = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(launcher.exitValue()).as(out).isZero();

            assertThat(out).contains("pid=" + launcher.pid() + "\n")
                    .contains("port=" + coordinator.port() + "\n")
                    .contains("in-env=no\n")
                    .contains("secret=" + coordinator.secret().hex() + "\n")
                    .contains("SigBlk:\t0000000000000000\n");
            long ignored = Long.parseLong(out.lines().filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow()
                    .substring(7).strip(), 16);
            assertThat(ignored & (1L << (10 - 1))).as("SIGUSR1 no longer ignored").isZero();
            // ProcessBuilder passed 0, 1 and 2 only, and launch the secret's pipe (libstasis reads and closes it):
            // anything else would be the JVM's (jars, /dev/urandom, …)
            String secretFd = out.lines().filter(l -> l.startsWith("secret-fd=")).findFirst().orElseThrow()
                    .substring(10);
            assertThat(out.lines().filter(l -> l.contains(" -> ")).map(l -> l.substring(0, l.indexOf(" -> ")))
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1))).containsExactlyInAnyOrder("0", "1", "2", secretFd);
        }
    }
}
