package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.image.Image;
import io.stasis.image.ImageReader;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The 100 MiB stream of stream-records.c over a pipe and over a fifo, with checkpoints every 200 ms while the
 * data flows, then kill -9 of the whole tree mid-stream and a restart from the last complete generation: the
 * reader must verify every byte, none lost or doubled.
 *
 * <p>The coordinator's interval is whole seconds (its protocol carries u32 seconds), so the test drives the
 * checkpoints itself: one blocking checkpoint every 200 ms through the coordinator's command port, the next
 * one right away when one takes longer.
 */
class StreamTest {

    private static final Duration PERIOD = Duration.ofMillis(200);
    /** MiB/s the reader takes: 100 MiB last ~10 s, enough for checkpoints to land while the pipe is full. */
    private static final String RATE = "10";
    private static final int CHECKPOINTS_FROM_MB = 5;
    private static final int KILL_AT_MB = 40;
    private static final int AT_LEAST_CHECKPOINTS = 5;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern MB = Pattern.compile("^mb (\\d+)$");

    @TestFactory
    Stream<DynamicTest> everyByteArrivesOnceDespiteCheckpointsEvery200MsAndAKillMidStream() {
        return Stream.of("stream-pipe", "stream-fifo").flatMap(name -> Stream
                .of(PluginSet.only("files", "pid-virt"), PluginSet.all())
                .map(plugins -> DynamicTest.dynamicTest(name + " (" + plugins.name() + ")", () -> {
                    try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
                        run(sandbox, Programs.named(name), plugins);
                    }
                })));
    }

    /** The fifo's path is gone at restart: the files plugin makes it again, says so, and the stream goes on. */
    @Test
    void aFifoWhosePathVanishedIsRecreated() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            ProgramDescription program = Programs.named("stream-fifo");
            Lifecycle lifecycle = new Lifecycle(sandbox, program, PluginSet.coreWith(program.requires()));
            Lifecycle.Checkpointed checkpointed = lifecycle.checkpointAndKill();
            Path fifo = sandbox.work().resolve("stream.fifo");
            assertThat(fifo).as("the program's fifo").exists();
            Files.delete(fifo);

            StasisProcess restarted = lifecycle.coordinator().restart(checkpointed.images().toArray(Path[]::new));
            StasisProcess launched = checkpointed.launched();
            launched.waitForOutput(l -> l.stream().anyMatch(line -> program.finished().matcher(line).find()), WAIT);
            assertThat(restarted.waitFor(Duration.ofSeconds(30))).as(restarted.describe()).isZero();
            OutputCheck.verify(program, launched.lines(), restarted.describe());
            // said in the restarted process's log, not on the program's stderr
            String logs;
            try (Stream<Path> files = Files.list(sandbox.tmp())) {
                StringBuilder all = new StringBuilder();
                for (Path log : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                    all.append(Files.readString(log));
                }
                logs = all.toString();
            }
            assertThat(logs).contains("files: fifo " + fifo + " vanished since the checkpoint: recreated it");
            assertThat(launched.errorOutput()).doesNotContain("vanished");
            assertThat(Files.isRegularFile(fifo)).as("a fifo again, not a file").isFalse();
            assertThat(fifo).exists();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void run(Sandbox sandbox, ProgramDescription desc, PluginSet plugins) throws Exception {
        ProgramDescription program = desc.withCommand(desc.commandTemplate().replace(" 100 20", " 100 " + RATE));
        assertThat(program.commandTemplate()).as("the rate is the third argument").contains(" 100 " + RATE);
        Coordinator coordinator = Coordinator.start(sandbox);
        StasisProcess launched = new Lifecycle(sandbox, program, plugins, coordinator).launch();
        launched.waitForOutput("^mb " + CHECKPOINTS_FROM_MB + "$", WAIT);

        Checkpoints checkpoints = checkpointEvery200Ms(coordinator, launched, program);
        List<Path> images = coordinator.images();
        assertThat(images).as("one image per process").hasSize(program.processes());
        List<Image> opened = images.stream().map(ImageReader::open).toList();
        opened.forEach(image -> plugins.verify(image.process().plugins()));
        assertThat(opened).as("every image of the last complete generation")
                .allMatch(image -> image.header().generation() == checkpoints.durations().size());
        assertThat(InFlight.pipeBytes(opened) + InFlight.fifoBytes(opened)).as("bytes in flight in the images restarted from")
                .isPositive();

        StasisProcess restarted = coordinator.restart(images.toArray(Path[]::new));
        try {
            launched.waitForOutput(l -> l.stream().anyMatch(line -> program.finished().matcher(line).find()), WAIT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + restarted.describe(), e);
        }
        assertThat(restarted.waitFor(Duration.ofSeconds(30))).as("exit code\n" + restarted.describe()).isZero();
        OutputCheck.verify(program, launched.lines(), program.name() + " with " + plugins.name() + "\n"
                + restarted.describe());
        System.out.printf("%s (%s): %s; killed at mb %d, restarted from generation %d%n", program.name(),
                plugins.name(), checkpoints.summary(), checkpoints.killedAtMb(), checkpoints.durations().size());
    }

    /** How the checkpoints went: each one's duration, and how far the reader was when the tree was killed. */
    private record Checkpoints(List<Long> durations, long elapsedMillis, long firstMb, long killedAtMb) {

        String summary() {
            List<Long> sorted = new ArrayList<>(durations);
            Collections.sort(sorted);
            return String.format("%d checkpoints in %d ms while the reader went from mb %d to %d, "
                    + "each %d ms min, %d ms median, %d ms max", sorted.size(), elapsedMillis, firstMb, killedAtMb,
                    sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        }
    }

    /**
     * Blocking checkpoints one every 200 ms until the reader reached {@link #KILL_AT_MB}, then kill -9 of the tree
     * once the last one is complete (a kill in the middle of one would leave images of two generations).
     */
    private static Checkpoints checkpointEvery200Ms(Coordinator coordinator, StasisProcess launched,
            ProgramDescription program) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> durations = Collections.synchronizedList(new ArrayList<>());
        ExecutorService driver = Executors.newSingleThreadExecutor();
        long firstMb = lastMb(launched.lines());
        long started = System.nanoTime();
        try (CommandClient client = coordinator.client()) {
            Future<?> loop = driver.submit(() -> {
                long next = System.nanoTime();
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    CommandResult r = client.blockingCheckpoint(p -> { });
                    assertThat(r.ok()).as("checkpoint %d: %s", durations.size() + 1, r.text()).isTrue();
                    durations.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    next += PERIOD.toNanos();
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } else {
                        next = System.nanoTime();
                    }
                }
                return null;
            });
            try {
                launched.waitForOutput("^mb " + KILL_AT_MB + "$", WAIT);
            } finally {
                stop.set(true);
            }
            loop.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            driver.shutdownNow();
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long killedAt = lastMb(launched.lines());
        program.forbid().ifPresent(forbid -> assertThat(launched.lines()).as("the stream through %d resumed "
                + "checkpoints\n%s", durations.size(), launched.describe()).noneMatch(l -> forbid.matcher(l).find()));
        launched.kill9Tree();
        assertThat(launched.lines()).as("killed mid-stream").noneMatch(l -> program.finished().matcher(l).find());
        assertThat(durations).as("checkpoints completed while the data flowed").hasSizeGreaterThanOrEqualTo(
                AT_LEAST_CHECKPOINTS);
        return new Checkpoints(List.copyOf(durations), elapsed, firstMb, killedAt);
    }

    private static long lastMb(List<String> lines) {
        long last = -1;
        for (String line : lines) {
            Matcher m = MB.matcher(line);
            if (m.find()) {
                last = Long.parseLong(m.group(1));
            }
        }
        return last;
    }
}
