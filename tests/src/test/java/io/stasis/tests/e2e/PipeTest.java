package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.image.Image;
import io.stasis.image.ImageReader;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bytes in flight in pipes across checkpoint, kill -9 and restart: a pipe whose writer had exited (a C program and
 * bash's command substitution), and one writer feeding a pipe and a fifo to two children through
 * {@value #ROUNDS} rounds of checkpoint, kill -9 and restart, each round judged on its own. Each checkpoint is
 * checked to have caught bytes in flight, so that a test cannot pass because it came too early or too late.
 */
class PipeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 50;
    /** Checkpoints per round, this far apart; the last one is restarted from. */
    private static final int CHECKPOINTS_PER_ROUND = 2;
    private static final Duration PERIOD = Duration.ofMillis(300);
    /** Attempts at a checkpoint that catches the pipe with bytes and no writer (bash forks the writer first). */
    private static final int ATTEMPTS = 20;
    private static final Pattern PROGRESS = Pattern.compile("^(pipe|fifo) (\\d+)$");

    @TestFactory
    Stream<DynamicTest> aPipeWhoseWriterExitedGetsItsBytesBackThenEndOfFile() {
        return Stream.of("pipe-writer-exited", "pipe-writer-exited-sh").map(Programs::named).flatMap(program -> Stream
                .of(PluginSet.coreWith(program.requires()), PluginSet.all())
                .map(plugins -> DynamicTest.dynamicTest(program.name() + " (" + plugins.name() + ")", () -> {
                    try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
                        writerExited(sandbox, program, plugins);
                    }
                })));
    }

    @TestFactory
    Stream<DynamicTest> aWriterFeedingAPipeAndAFifoLosesNoRecordInFiftyRoundsOfKillAndRestart() {
        ProgramDescription fanout = Programs.named("pipe-fanout");
        /* records until the stop file exists: the stream outlives every round */
        ProgramDescription endless = fanout.withCommand(fanout.commandTemplate().replace(" 150000", " 0"));
        assertThat(endless.commandTemplate()).as("the record count is the last argument").endsWith(" 0");
        return Stream.of(PluginSet.coreWith(fanout.requires()), PluginSet.all())
                .map(plugins -> DynamicTest.dynamicTest("pipe-fanout (" + plugins.name() + ")", () -> {
                    try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
                        rounds(sandbox, endless, plugins);
                    }
                }));
    }

    private static void writerExited(Sandbox sandbox, ProgramDescription program, PluginSet plugins)
            throws Exception {
        Coordinator coordinator = Coordinator.start(sandbox);
        StasisProcess launched = new Lifecycle(sandbox, program, plugins, coordinator).launch();
        launched.waitForOutput(program.ready().pattern(), WAIT);
        List<Image> images;
        try (CommandClient client = coordinator.client()) {
            images = checkpointUntil(client, coordinator, caught -> InFlight.pipeBytesWithoutWriter(caught) > 0,
                    "bytes in a pipe no process could write to any more\n" + launched.describe());
        }
        images.forEach(image -> plugins.verify(image.process().plugins()));
        launched.kill9Tree();
        /* the file pipe-writer-exited waits for before it reads: there from now on, so the restarted one reads */
        Files.writeString(sandbox.work().resolve("go"), "");
        StasisProcess restarted = coordinator.restart(paths(images));
        try {
            launched.waitForOutput(l -> l.stream().anyMatch(line -> program.finished().matcher(line).find()), WAIT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + restarted.describe(), e);
        }
        assertThat(restarted.waitFor(WAIT)).as("exit code\n" + restarted.describe()).isZero();
        OutputCheck.verify(program, launched.lines(), program.name() + " with " + plugins.name() + "\n"
                + restarted.describe());
    }

    /**
     * Per round: both readers went on since the last restart, {@value #CHECKPOINTS_PER_ROUND} checkpoints
     * {@link #PERIOD} apart, kill -9 of the tree, restart from the last one; the round is good once both readers are
     * past where they were at the kill and no reader said a record was lost, repeated or corrupt.
     */
    private static void rounds(Sandbox sandbox, ProgramDescription program, PluginSet plugins) throws Exception {
        Coordinator coordinator = Coordinator.start(sandbox);
        StasisProcess launched = new Lifecycle(sandbox, program, plugins, coordinator).launch();
        StasisProcess running = launched;
        Progress mark = new Progress(0, 0);
        int pipeRounds = 0;
        int fifoRounds = 0;
        try (CommandClient client = coordinator.client()) {
            for (int round = 1; round <= ROUNDS; round++) {
                awaitProgressPast(launched, mark, running);
                List<Image> images = null;
                for (int c = 0; c < CHECKPOINTS_PER_ROUND; c++) {
                    long started = System.nanoTime();
                    images = checkpoint(client, coordinator);
                    long left = PERIOD.toNanos() - (System.nanoTime() - started);
                    if (c + 1 < CHECKPOINTS_PER_ROUND && left > 0) {
                        Thread.sleep(left / 1_000_000);
                    }
                }
                images.forEach(image -> plugins.verify(image.process().plugins()));
                long pipe = InFlight.pipeBytes(images);
                long fifo = InFlight.fifoBytes(images);
                pipeRounds += pipe > 0 ? 1 : 0;
                fifoRounds += fifo > 0 ? 1 : 0;
                running.kill9Tree();
                mark = Progress.of(launched.lines());
                running = restarter(sandbox, coordinator, images);
                awaitProgressPast(launched, mark, running);
                List<String> faults = faults(program, launched.lines());
                String verdict = faults.isEmpty() ? "ok" : "FAILED: " + String.join("; ", faults);
                System.out.printf("round %d/%d (%s): generation %d, %d bytes in the pipe and %d in the fifo, "
                        + "restarted at pipe %d, fifo %d: %s%n", round, ROUNDS, plugins.name(),
                        images.get(0).header().generation(), pipe, fifo, mark.pipe(), mark.fifo(), verdict);
                assertThat(faults).as("round %d\n%s", round, running.describe()).isEmpty();
            }
        }
        assertThat(pipeRounds).as("rounds whose checkpoint caught bytes in the pipe").isPositive();
        assertThat(fifoRounds).as("rounds whose checkpoint caught bytes in the fifo").isPositive();
        Files.writeString(sandbox.work().resolve("stop"), "");
        launched.waitForOutput(l -> l.stream().anyMatch(line -> program.finished().matcher(line).find()), WAIT);
        assertThat(running.waitFor(WAIT)).as("exit code\n" + running.describe()).isZero();
        List<String> lines = launched.lines();
        assertThat(faults(program, lines)).as("after %d rounds", ROUNDS).isEmpty();
        Pattern verified = Pattern.compile("^(pipe|fifo) verified (\\d+) records: 0 lost, 0 repeated, 0 corrupt bytes$");
        List<String> counts = lines.stream().map(verified::matcher).filter(Matcher::find).map(m -> m.group(2))
                .toList();
        assertThat(counts).as("both readers verified the same records\n%s", String.join("\n", lines)).hasSize(2)
                .containsOnly(counts.get(0));
    }

    /** Blocking checkpoints until the images satisfy `caught`, at most {@link #ATTEMPTS}. */
    private static List<Image> checkpointUntil(CommandClient client, Coordinator coordinator,
            Predicate<List<Image>> caught, String what) throws Exception {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<Image> images = checkpoint(client, coordinator);
            if (caught.test(images)) {
                return images;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(ATTEMPTS + " checkpoints and none caught " + what);
    }

    /** One blocking checkpoint; the images of its generation (processes gone since left older ones behind). */
    private static List<Image> checkpoint(CommandClient client, Coordinator coordinator) throws Exception {
        CommandResult r = client.blockingCheckpoint(p -> { });
        assertThat(r.ok()).as("checkpoint: %s", r.text()).isTrue();
        List<Image> all = coordinator.images().stream().map(ImageReader::open).toList();
        long newest = all.stream().mapToLong(image -> image.header().generation()).max().orElseThrow();
        return all.stream().filter(image -> image.header().generation() == newest).toList();
    }

    /**
     * What `stasis restart` becomes once it checked the images (RestartCommand): the restarter itself, with the
     * environment of a launch. A round spends no JVM start on it; the next checkpoint waits until both readers
     * went on, so the restarted processes are registered by then.
     */
    private static StasisProcess restarter(Sandbox sandbox, Coordinator coordinator, List<Image> images) {
        List<String> command = new ArrayList<>(List.of(sandbox.stasisHome().restarter().toString()));
        images.forEach(image -> command.add(image.path().toString()));
        return sandbox.command(command).name("stasis-restart").env(coordinator.environment())
                .env("STASIS_SECRET", coordinator.secret().hex())
                .env("STASIS_CKPT_DIR", sandbox.work().toString())
                .env("STASIS_HOME", sandbox.stasisHome().home().toString()).start();
    }

    private static Path[] paths(List<Image> images) {
        return images.stream().map(Image::path).toArray(Path[]::new);
    }

    private static List<String> faults(ProgramDescription program, List<String> lines) {
        return lines.stream().filter(l -> program.forbid().orElseThrow().matcher(l).find()).toList();
    }

    private static void awaitProgressPast(StasisProcess output, Progress mark, StasisProcess running) {
        try {
            output.waitForOutput(l -> {
                Progress now = Progress.of(l);
                return now.pipe() > mark.pipe() && now.fifo() > mark.fifo();
            }, WAIT);
        } catch (AssertionError e) {
            throw new AssertionError("the readers did not go on past pipe " + mark.pipe() + ", fifo " + mark.fifo()
                    + "\n" + e.getMessage() + "\n" + running.describe(), e);
        }
    }

    /**
     * How far each reader got: the largest count it printed. A restart rewinds the output file to where the
     * checkpoint found it, and lines written after stay until overwritten: only a count beyond them is news.
     */
    private record Progress(long pipe, long fifo) {

        static Progress of(List<String> lines) {
            long pipe = 0;
            long fifo = 0;
            for (String line : lines) {
                Matcher m = PROGRESS.matcher(line);
                if (m.find()) {
                    long n = Long.parseLong(m.group(2));
                    if (m.group(1).equals("pipe")) {
                        pipe = Math.max(pipe, n);
                    } else {
                        fifo = Math.max(fifo, n);
                    }
                }
            }
            return new Progress(pipe, fifo);
        }
    }
}
