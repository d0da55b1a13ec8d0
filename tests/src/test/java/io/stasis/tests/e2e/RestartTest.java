package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.state.StateDirectory;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Restarts beyond the single life cycle: twice from one image, from elsewhere, after many checkpoints. */
class RestartTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void restartsMoreThanOnceFromTheSameImage() {
        ProgramDescription counter = Programs.named("counter");
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Lifecycle life = new Lifecycle(sandbox, counter, PluginSet.all());
            Lifecycle.Checkpointed checkpointed = life.checkpointAndKill();
            StasisProcess launched = checkpointed.launched();
            Path image = checkpointed.image();
            for (int attempt = 0; attempt < 2; attempt++) {
                StasisProcess restarted = life.coordinator().restart(image);
                /* each restart rewinds the output file to where the checkpoint left it */
                launched.waitForOutput(lines -> lines.size() > 20 && lines.contains("20"), WAIT);
                restarted.kill9Tree();
            }
            StasisProcess last = life.coordinator().restart(image);
            launched.waitForOutput("^done$", WAIT);
            assertThat(last.waitFor(WAIT)).isZero();
            OutputCheck.verify(counter, launched.lines(), "third restart");
        }
    }

    @Test
    void restartsFromAnotherDirectory() {
        ProgramDescription counter = Programs.named("counter");
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Lifecycle life = new Lifecycle(sandbox, counter, PluginSet.all());
            Lifecycle.Checkpointed checkpointed = life.checkpointAndKill();
            StasisProcess launched = checkpointed.launched();
            Path image = checkpointed.image();
            Path relative = sandbox.tmp().relativize(image);
            StasisProcess restarted = life.coordinator().command("restart", relative.toString())
                    .directory(sandbox.tmp()).start();
            launched.waitForOutput("^done$", WAIT);
            assertThat(restarted.waitFor(WAIT)).isZero();
            OutputCheck.verify(counter, launched.lines(), "restarted from " + sandbox.tmp());
        }
    }

    /** Twenty blocking checkpoints in a row at 5 Hz while four threads work, then a restart from the last. */
    @Test
    void checkpointsTwentyTimesAtFiveHertz() throws Exception {
        /* long enough to outlive twenty checkpoints */
        ProgramDescription threads = Programs.named("threads4").withCommand("${programs}/threads4 600 100");
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Lifecycle life = new Lifecycle(sandbox, threads, PluginSet.all());
            Coordinator coordinator = life.coordinator();
            StasisProcess launched = life.launch();
            launched.waitForOutput("^5$", WAIT);
            /* the coordinator runs as the sandbox's user: its state lies under that uid */
            Path secretFile = sandbox.tmp().resolve("stasis-" + sandbox.runAs().uid())
                    .resolve("coord-" + coordinator.port()).resolve(StateDirectory.SECRET_FILE);
            Secret secret = Secret.fromHex(Files.readString(secretFile).strip());
            try (CommandClient client = CommandClient.connect(coordinator.host(), coordinator.port(), secret)) {
                for (int i = 0; i < 20; i++) {
                    long started = System.nanoTime();
                    assertThat(client.blockingCheckpoint(progress -> { }).status()).as("checkpoint %d", i).isZero();
                    long left = 200 - (System.nanoTime() - started) / 1_000_000;
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                }
            }
            List<Path> images = coordinator.images();
            assertThat(images).hasSize(1);
            launched.kill9Tree();
            StasisProcess restarted = coordinator.restart(images.get(0));
            launched.waitForOutput("^done$", WAIT);
            assertThat(restarted.waitFor(WAIT)).isZero();
            OutputCheck.verify(threads, launched.lines(), "after 20 checkpoints");
        }
    }
}
