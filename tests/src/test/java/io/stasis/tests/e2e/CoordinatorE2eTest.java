package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.client.CoordinatorException;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.report.StatusReport;
import io.stasis.image.ImageReader;
import io.stasis.image.ImageVerifier;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The coordinator with real programs checkpointed by libstasis: interval checkpoints, a process killed in
 * the middle of a checkpoint, two computations on two ports, hostile connections while a computation keeps
 * checkpointing, and exit-after-checkpoint followed by the restart script.
 */
class CoordinatorE2eTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration SHORT = Duration.ofSeconds(10);

    /** {@code counter -1 50}: counts forever, 20 lines a second. */
    private static StasisProcess counter(Coordinator coordinator) {
        return coordinator.command("launch", Programs.HOME.program("counter").toString(), "-1", "50")
                .name("counter").start();
    }

    @Test
    void intervalCheckpointsEverySecondForTenSecondsThenTheRestartScriptResumes() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.start(sandbox, "--interval", "1");
            StasisProcess launched = counter(coordinator);
            launched.waitForOutput("^5$", WAIT);
            long firstGeneration;
            StatusReport status;
            try (CommandClient client = client(sandbox, coordinator)) {
                firstGeneration = client.status().generation();
                sleep(Duration.ofSeconds(10));
                status = client.status();
            }
            assertThat(status.generation() - firstGeneration).as("checkpoints in 10 s at 1 Hz").isBetween(9L, 11L);
            assertThat(status.lastFailure()).as("no checkpoint failed").isEmpty();
            assertThat(status.lastCheckpoint()).hasValueSatisfying(c -> assertThat(c.images()).hasSize(1));

            launched.kill9Tree();
            sandbox.command("bash", sandbox.work().resolve("stasis_restart_script.sh").toString()).name("script")
                    .start();
            int seen = launched.lines().size();
            List<String> lines = launched.waitForOutput(l -> l.size() > seen + 40, WAIT);
            assertCounts(lines);
        }
    }

    @Test
    void processKilledWhileWritingAbortsTheCheckpointForEveryone() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.start(sandbox);
            StasisProcess survivor = counter(coordinator);
            StasisProcess victim = coordinator.command("launch", Programs.HOME.program("bigmem").toString(), "512",
                    "-1").name("bigmem").start();
            survivor.waitForOutput("^5$", WAIT);
            victim.waitForOutput("^0 ok", WAIT);
            coordinator.checkpoint().requireSuccess();
            Path victimImage = image(sandbox, "ckpt_bigmem_");
            Path survivorImage = image(sandbox, "ckpt_counter_");
            long victimBytes = Files.size(victimImage);
            byte[] survivorBytes = Files.readAllBytes(survivorImage);

            StasisProcess checkpoint = coordinator.command("checkpoint").start();
            waitUntil(() -> temporaryImages(sandbox).stream().anyMatch(n -> n.startsWith(".ckpt_bigmem_")),
                    "bigmem's temporary image");
            victim.kill9();

            assertThat(checkpoint.waitFor(WAIT)).as(checkpoint.describe()).isEqualTo(6);
            assertThat(checkpoint.errorOutput()).contains("checkpoint 2 failed: pid " + victim.pid() + " (bigmem) "
                    + "disconnected during checkpoint 2");
            waitUntil(() -> temporaryImages(sandbox).isEmpty(), "no temporary image left");
            assertThat(ImageReader.open(victimImage).header().generation()).as("previous generation").isEqualTo(1);
            assertThat(Files.size(victimImage)).isEqualTo(victimBytes);
            assertThat(Files.readAllBytes(survivorImage)).as("the survivor's previous image").isEqualTo(survivorBytes);
            int seen = survivor.lines().size();
            survivor.waitForOutput(l -> l.size() > seen + 10, WAIT);
            coordinator.checkpoint().requireSuccess();
            assertThat(ImageReader.open(survivorImage).header().generation()).isEqualTo(3);
            assertCounts(survivor.lines());
        }
    }

    @Test
    void twoComputationsOnTwoPortsDoNotInterfere() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator one = Coordinator.start(sandbox);
            Coordinator two = Coordinator.start(sandbox);
            StasisProcess a = counter(one);
            StasisProcess b = counter(two);
            a.waitForOutput("^5$", WAIT);
            b.waitForOutput("^5$", WAIT);

            one.checkpoint().requireSuccess();
            Path imageA = image(sandbox, "ckpt_counter_");
            try (CommandClient client = client(sandbox, two)) {
                assertThat(client.status().lastCheckpoint()).as("the other computation was not checkpointed").isEmpty();
            }
            two.checkpoint().requireSuccess();
            Path scriptOne = restartScript(sandbox, one);
            Path scriptTwo = restartScript(sandbox, two);
            assertThat(Files.readString(scriptOne)).contains(imageA.getFileName().toString())
                    .contains("coord_port=${STASIS_COORD_PORT:-" + one.port() + "}");
            assertThat(Files.readString(scriptTwo)).doesNotContain(imageA.getFileName().toString())
                    .contains("coord_port=${STASIS_COORD_PORT:-" + two.port() + "}");

            one.stasis("command", "--kill").requireSuccess();
            assertThat(a.waitFor(WAIT)).isEqualTo(137);
            one.stasis("command", "--quit").requireSuccess();
            assertThat(one.process().orElseThrow().waitFor(WAIT)).isZero();
            int seen = b.lines().size();
            b.waitForOutput(l -> l.size() > seen + 10, WAIT);
            two.checkpoint().requireSuccess();
            assertCounts(b.lines());
        }
    }

    @Test
    void wrongSecretsAndRandomFramesAreTurnedAwayWhileAComputationKeepsCheckpointing() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.start(sandbox);
            StasisProcess launched = counter(coordinator);
            launched.waitForOutput("^5$", WAIT);
            Secret secret = coordinator.secret();
            HostileClients hostile = new HostileClients(coordinator.host(), coordinator.port(), secret, 42);
            int attacks = 10 * HostileClients.KINDS;
            ExecutorService attacker = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> closed = attacker.submit(() -> {
                    int n = 0;
                    for (int i = 0; i < attacks; i++) {
                        n += hostile.attack(i % HostileClients.KINDS) ? 1 : 0;
                    }
                    return n;
                });
                List<String> results = new ArrayList<>();
                try (CommandClient client = client(sandbox, coordinator)) {
                    for (int i = 0; i < 10; i++) {
                        CommandResult r = client.blockingCheckpoint(p -> { });
                        assertThat(r.ok()).as(r.text()).isTrue();
                        results.add(r.text());
                    }
                    assertThat(closed.get(2, TimeUnit.MINUTES)).as("hostile connections closed").isEqualTo(attacks);
                    assertThat(client.status().generation()).isEqualTo(10);
                }
                assertThat(results).allMatch(t -> t.contains(": 1 process,"));
            } finally {
                attacker.shutdownNow();
            }
            StasisProcess server = coordinator.process().orElseThrow();
            assertThat(server.errorLines().stream().filter(l -> l.contains("WARNING closing connection from")))
                    .as("one log line per connection turned away").hasSize(attacks);
            assertThat(server.errorOutput()).contains("bad secret").contains("frame length")
                    .contains("unknown message type").contains("before authentication");
            int seen = launched.lines().size();
            assertCounts(launched.waitForOutput(l -> l.size() > seen + 5, WAIT));
        }
    }

    /** Batch eviction: once the images are written the computation is stopped; the script brings it back. */
    @Test
    void exitAfterCheckpointStopsTheComputationAndTheRestartScriptBringsItBack() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.start(sandbox, "--exit-after-ckpt");
            StasisProcess launched = counter(coordinator);
            launched.waitForOutput("^5$", WAIT);
            coordinator.checkpoint().requireSuccess();
            assertThat(launched.waitFor(WAIT)).as("killed after the checkpoint").isEqualTo(137);
            assertThat(coordinator.process().orElseThrow().waitFor(WAIT)).as("the coordinator quit").isZero();

            int seen = launched.lines().size();
            StasisProcess script = sandbox.command("bash", sandbox.work().resolve("stasis_restart_script.sh").toString())
                    .name("script").start();
            List<String> lines = launched.waitForOutput(l -> l.size() > seen + 20, WAIT);
            assertCounts(lines);
            assertThat(script.isAlive()).as("the script became the restored program").isTrue();
        }
    }

    /**
     * A local user without the secret holds 400 connections open that never authenticate (more than the 256 the
     * coordinator keeps waiting): checkpoints, commands and a launch all still get through, because a new
     * connection pushes out the oldest unauthenticated one.
     */
    @Test
    void idleUnauthenticatedConnectionsLockNobodyOut() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.start(sandbox);
            StasisProcess first = counter(coordinator);
            first.waitForOutput("^5$", WAIT);
            StasisProcess second;
            try (IdleConnections idle = new IdleConnections(coordinator.host(), coordinator.port(), 400,
                    Duration.ofSeconds(2))) {
                idle.awaitFull(SHORT);
                second = counter(coordinator);
                second.waitForOutput("^5$", WAIT);
                for (int i = 0; i < 5; i++) {
                    var checkpoint = coordinator.checkpoint();
                    assertThat(checkpoint.exitCode()).as(checkpoint.toString()).isZero();
                }
                var list = coordinator.stasis("command", "--list");
                assertThat(list.exitCode()).as(list.toString()).isZero();
                assertThat(idle.opened()).as("connections opened meanwhile").isGreaterThan(400);
            }
            List<StasisProcess> counters = List.of(first, second);
            counters.forEach(StasisProcess::kill9Tree);
            List<Integer> seen = counters.stream().map(c -> c.lines().size()).toList();
            coordinator.images().forEach(coordinator::restart);
            for (int i = 0; i < counters.size(); i++) {
                int before = seen.get(i);
                assertCounts(counters.get(i).waitForOutput(l -> l.size() > before + 20, WAIT));
            }
        }
    }

    /**
     * Restarting the image of a process that still runs is refused (exit 5, one line) by the command line,
     * and past it by the coordinator at registration, before the copy resumes: a second copy would write the
     * same image. The running process and its later images are untouched.
     */
    @Test
    void anImageWhoseProcessStillRunsIsNotRestarted() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.start(sandbox);
            StasisProcess launched = counter(coordinator);
            launched.waitForOutput("^5$", WAIT);
            coordinator.checkpoint().requireSuccess();
            Path image = image(sandbox, "ckpt_counter_");

            var refused = coordinator.stasis("restart", image.toString());
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
            assertThat(refused.stderr()).as(refused.toString()).singleElement().asString()
                    .contains(image.toString()).contains("is still running");
            StasisProcess copy = sandbox.command(sandbox.stasisHome().restarter().toString(), image.toString())
                    .env(coordinator.environment()).env("STASIS_SECRET", coordinator.secret().hex())
                    .name("copy").start();
            assertThat(copy.waitFor(WAIT)).as("the coordinator refused the copy").isEqualTo(5);

            for (int generation = 2; generation <= 4; generation++) {
                coordinator.checkpoint().requireSuccess();
                assertThat(ImageVerifier.verify(image, true).problems()).isEmpty();
                assertThat(ImageReader.open(image).header().generation()).isEqualTo(generation);
            }
            try (CommandClient client = client(sandbox, coordinator)) {
                assertThat(client.list()).as("one process, the one that ran all along").hasSize(1);
            }
            launched.kill9Tree();
            int seen = launched.lines().size();
            coordinator.restart(image);
            assertCounts(launched.waitForOutput(l -> l.size() > seen + 20, WAIT));
        }
    }

    /**
     * A coordinator killed with -9 and started again on its port (and state directory) adopts the computation
     * it left: the processes register again with the secret it left there, the next checkpoint takes all six
     * and continues the generations, and a restart from those images finishes the program.
     */
    @Test
    void aCoordinatorStartedAgainOnItsPortAdoptsTheRunningComputation() throws Exception {
        ProgramDescription tree = Programs.named("tree").withCommand("${programs}/tree 200");
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            int port = sandbox.freePort();
            Coordinator first = Coordinator.startOnPort(sandbox, port);
            Lifecycle life = new Lifecycle(sandbox, tree, PluginSet.all(), first);
            StasisProcess launched = life.launch();
            launched.waitForOutput(tree.ready().pattern(), tree.timeout());
            first.checkpoint().requireSuccess();
            first.process().orElseThrow().kill9Tree();
            first.process().orElseThrow().waitFor(WAIT);

            Coordinator second = Coordinator.startOnPort(sandbox, port);
            waitUntil(() -> registered(sandbox, second) == tree.processes(), "the six processes registered again",
                    Duration.ofSeconds(30), Duration.ofMillis(200));
            var checkpoint = second.checkpoint();
            assertThat(checkpoint.exitCode()).as(checkpoint.toString()).isZero();
            try (CommandClient client = client(sandbox, second)) {
                assertThat(client.status().generation()).as("the generations continue").isEqualTo(2);
            }
            List<Path> images = second.images();
            assertThat(images).hasSize(tree.processes())
                    .allSatisfy(i -> assertThat(ImageReader.open(i).header().generation()).isEqualTo(2));
            launched.kill9Tree();
            StasisProcess restarted = second.restart(images.toArray(Path[]::new));
            launched.waitForOutput(tree.finished().pattern(), tree.timeout());
            assertThat(restarted.waitFor(WAIT)).as(restarted.describe()).isZero();
            OutputCheck.verify(tree, launched.lines(), "restarted after its coordinator was adopted\n"
                    + restarted.describe());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The counter's lines are 0, 1, 2, … with no gap and no repeat. */
    private static void assertCounts(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).as("line %d of\n%s", i, String.join("\n", lines)).isEqualTo(String.valueOf(i));
        }
    }

    private static CommandClient client(Sandbox sandbox, Coordinator coordinator) {
        try {
            return CommandClient.connect(coordinator.host(), coordinator.port(), coordinator.secret());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many processes the coordinator has registered; 0 while it cannot be asked. */
    private static int registered(Sandbox sandbox, Coordinator coordinator) {
        try (CommandClient client = client(sandbox, coordinator)) {
            return client.list().size();
        } catch (CoordinatorException | UncheckedIOException e) {
            return 0;
        }
    }

    private static Path image(Sandbox sandbox, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(sandbox.work())) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".stasis")).toList();
            assertThat(found).as(prefix + "* in " + sandbox.work()).hasSize(1);
            return found.get(0);
        }
    }

    private static List<String> temporaryImages(Sandbox sandbox) {
        try (Stream<Path> files = Files.list(sandbox.work())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\.ckpt_.*\\.stasis\\.[0-9]+\\.tmp")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code stasis_restart_script_<host>-<port>.sh} of that coordinator. */
    private static Path restartScript(Sandbox sandbox, Coordinator coordinator) throws IOException {
        try (Stream<Path> files = Files.list(sandbox.work())) {
            List<Path> found = files.filter(p -> p.getFileName().toString()
                    .matches("stasis_restart_script_.*-" + coordinator.port() + "\\.sh")).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what) {
        waitUntil(condition, what, SHORT, Duration.ofMillis(5));
    }

    private static void waitUntil(BooleanSupplier condition, String what, Duration timeout, Duration poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(poll);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
