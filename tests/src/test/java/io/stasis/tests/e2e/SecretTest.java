package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.report.ProcessView;
import io.stasis.image.Image;
import io.stasis.image.ImageData;
import io.stasis.image.ImageReader;
import io.stasis.image.MemoryBlock;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's secret is in no image and not in the program's environment block: anyone who can read an
 * image (or /proc/PID/environ) could otherwise command a live coordinator. A restarted process gets it afresh
 * and keeps it out of its next image too.
 */
class SecretTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theSecretIsInNoImageAndNotInTheEnvironmentBlock() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.start(sandbox);
            StasisProcess launched = coordinator.command("launch", Programs.HOME.program("counter").toString(), "-1",
                    "50").name("counter").start();
            launched.waitForOutput("^5$", WAIT);
            Secret secret = coordinator.secret();
            assertNotInEnvironment(secret, realPid(coordinator, secret), "the launched program");

            coordinator.checkpoint().requireSuccess();
            Path image = coordinator.images().get(0);
            assertNotInImage(secret, image);

            launched.kill9Tree();
            int seen = launched.lines().size();
            coordinator.restart(image);
            launched.waitForOutput(l -> l.size() > seen + 10, WAIT);
            assertNotInEnvironment(secret, realPid(coordinator, secret), "the restarted program");
            coordinator.checkpoint().requireSuccess();
            assertNotInImage(secret, image);
            int again = launched.lines().size();
            List<String> lines = launched.waitForOutput(l -> l.size() > again + 10, WAIT);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).as("line %d", i).isEqualTo(String.valueOf(i));
            }
        }
    }

    private static void assertNotInEnvironment(Secret secret, long pid, String who) throws IOException {
        byte[] environ = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
        assertThat(environ).as("/proc/%d/environ of %s", pid, who).isNotEmpty();
        assertThat(indexOf(environ, secret.hex().getBytes(StandardCharsets.US_ASCII)))
                .as("the secret in /proc/%d/environ of %s", pid, who).isEqualTo(-1);
    }

    /** Every byte of the file, and every memory block decoded: neither the hex digits nor the raw bytes. */
    private static void assertNotInImage(Secret secret, Path path) throws IOException {
        Image image = ImageReader.open(path);
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        try (ImageData data = ImageData.open(image)) {
            for (MemoryBlock block : image.blocks()) {
                memory.write(data.decode(block));
            }
        }
        assertThat(memory.size()).as("decoded memory of " + path).isGreaterThan(100_000);
        for (byte[] haystack : List.of(memory.toByteArray(), Files.readAllBytes(path))) {
            assertThat(indexOf(haystack, secret.hex().getBytes(StandardCharsets.US_ASCII)))
                    .as("the secret's hex digits in " + path).isEqualTo(-1);
            assertThat(indexOf(haystack, secret.toArray())).as("the secret's bytes in " + path).isEqualTo(-1);
        }
    }

    private static long realPid(Coordinator coordinator, Secret secret) throws Exception {
        try (CommandClient client = CommandClient.connect(coordinator.host(), coordinator.port(), secret)) {
            List<ProcessView> processes = client.list();
            assertThat(processes).hasSize(1);
            return processes.get(0).realPid();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
