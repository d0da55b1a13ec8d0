package io.stasis.coordinator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.protocol.Abort;
import io.stasis.coordinator.protocol.Barrier;
import io.stasis.coordinator.protocol.Bye;
import io.stasis.coordinator.protocol.Bytes;
import io.stasis.coordinator.protocol.Checkpoint;
import io.stasis.coordinator.protocol.CkptResult;
import io.stasis.coordinator.protocol.Command;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.coordinator.protocol.Kill;
import io.stasis.coordinator.protocol.NameLookup;
import io.stasis.coordinator.protocol.NamePublish;
import io.stasis.coordinator.protocol.NameValue;
import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.protocol.ErrorCode;
import io.stasis.coordinator.protocol.ProtocolException;
import io.stasis.coordinator.protocol.Register;
import io.stasis.coordinator.protocol.Release;
import io.stasis.coordinator.protocol.Unrestored;
import io.stasis.coordinator.protocol.Verb;
import io.stasis.coordinator.protocol.Welcome;
import io.stasis.coordinator.report.ProcessView;
import io.stasis.coordinator.report.StatusReport;
import io.stasis.coordinator.script.GenerationDirectories;
import io.stasis.coordinator.script.RestartScriptWriter;
import io.stasis.coordinator.testing.FakePeer;
import io.stasis.coordinator.testing.ManualScheduler;
import io.stasis.coordinator.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's decisions, driven message by message with fake peers and a virtual clock. */
class CoordinatorEngineTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> quits = new ArrayList<>();
    private long nextPeer = 1;

    @TempDir
    Path dir;

    private CoordinatorEngine engine(CoordinatorOptions.Builder options) {
        CoordinatorEngine e = new CoordinatorEngine(options.build(), "127.0.0.1", 7779, scheduler,
                new TestClock(scheduler), new RestartScriptWriter(), quits::add);
        e.start();
        return e;
    }

    private CoordinatorEngine engine() {
        return engine(CoordinatorOptions.builder());
    }

    /** An engine that can look at processes: {@code dead} holds the pids found gone. */
    private CoordinatorEngine engine(java.util.Set<Long> dead) {
        CoordinatorEngine e = new CoordinatorEngine(CoordinatorOptions.builder().build(), "127.0.0.1", 7779,
                scheduler, new TestClock(scheduler), new RestartScriptWriter(), new LocalImageFiles(),
                (host, pid) -> dead.contains(pid), quits::add);
        e.start();
        return e;
    }

    private FakePeer process(CoordinatorEngine e, long pid) throws ProtocolException {
        return process(e, pid, 1, 0, 1, "comp");
    }

    private FakePeer process(CoordinatorEngine e, long pid, int state, long generation, long size, String computation)
            throws ProtocolException {
        FakePeer p = new FakePeer(nextPeer++);
        e.processConnected(p);
        e.register(p, new Register("u-" + pid, pid, pid, "node", "p" + pid, state, generation, size, computation,
                dir.toString()));
        return p;
    }

    private FakePeer command(CoordinatorEngine e, Verb verb, long argument) {
        FakePeer p = new FakePeer(nextPeer++);
        e.command(p, new Command(verb, argument));
        return p;
    }

    /** Runs processes through every barrier of {@code gen}, writing their images into the temp dir. */
    private void checkpointAll(CoordinatorEngine e, long gen, FakePeer... processes) throws ProtocolException {
        for (String barrier : List.of("SUSPENDED", "DRAINED", "WRITTEN")) {
            for (FakePeer p : processes) {
                e.barrier(p, new Barrier(barrier, gen));
            }
        }
        for (FakePeer p : processes) {
            e.progress(p, new Progress(gen, 100, 100));
            e.checkpointResult(p, new CkptResult(gen, 0, dir.resolve("ckpt_" + p.id() + ".stasis").toString(),
                    100, 400, 10, ""));
            e.barrier(p, new Barrier("CHECKPOINTED", gen));
        }
    }

    @Test
    void registrationIsWelcomedWithNumberGenerationAndInterval() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().intervalSeconds(30));
        assertThat(process(e, 10).sent()).containsExactly(new Welcome(1, 0, 30));
        assertThat(process(e, 11, 2, 7, 1, "other").sent()).containsExactly(new Welcome(2, 7, 30));
        assertThat(process(e, 12).sent()).containsExactly(new Welcome(3, 7, 30));
    }

    @Test
    void registeringTwiceIsAProtocolError() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer p = process(e, 10);
        assertThatThrownBy(() -> e.register(p, new Register("u", 1, 1, "h", "p", 1, 0, 1, "c", "/tmp")))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void aSecondCopyOfALiveProcessIsRefusedAndTheLiveOneKeepsItsPlace() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer alive = process(e, 10);
        FakePeer copy = new FakePeer(nextPeer++);
        e.processConnected(copy);
        assertThatThrownBy(() -> e.register(copy, new Register("u-10", 10, 99, "node", "p10", 2, 1, 1, "comp",
                dir.toString())))
                .isInstanceOfSatisfying(ProtocolException.class, x -> assertThat(x.code())
                        .isEqualTo(ErrorCode.ALREADY_RUNNING))
                .hasMessage("process 10 (p10, unique id u-10) is already running in this computation "
                        + "(kernel pid 10 on node)");
        e.disconnected(copy);
        assertThat(e.list()).singleElement().satisfies(v -> assertThat(v.realPid()).isEqualTo(10));
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        assertThat(alive.last()).isEqualTo(new Checkpoint(1, "", 1));
        checkpointAll(e, 1, alive);
        assertThat(((CommandResult) waiter.last()).ok()).isTrue();
    }

    @Test
    void checkpointWithoutProcessesFailsAtOnce() {
        CoordinatorEngine e = engine();
        assertThat(command(e, Verb.CHECKPOINT, 0).sent()).containsExactly(CommandResult.failed("no processes to checkpoint"));
        assertThat(command(e, Verb.BLOCKING_CHECKPOINT, 0).sent())
                .containsExactly(CommandResult.failed("no processes to checkpoint"));
    }

    @Test
    void blockingCheckpointStreamsProgressThenTheSummary() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        FakePeer joiner = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        FakePeer nonBlocking = command(e, Verb.CHECKPOINT, 0);
        assertThat(nonBlocking.sent()).containsExactly(CommandResult.ok("checkpoint 1 already running"));
        assertThat(a.last()).isEqualTo(new Checkpoint(1, "", 2));
        assertThat(waiter.sent()).isEmpty();

        checkpointAll(e, 1, a, b);

        assertThat(waiter.sent(Progress.class)).containsExactly(new Progress(1, 100, 100), new Progress(1, 200, 200));
        assertThat(waiter.last()).isEqualTo(CommandResult.ok("checkpoint 1: 2 processes, 200 B in 0.0 s"));
        assertThat(joiner.last()).isEqualTo(waiter.last());
        assertThat(a.last()).isEqualTo(new Release("CHECKPOINTED", 1));
        assertThat(e.list()).extracting(ProcessView::state, ProcessView::generation)
                .containsOnly(tuple("running", 1L));
        assertThat(dir.resolve(RestartScriptWriter.FILE_NAME)).isRegularFile();

        StatusReport status = e.status();
        assertThat(status.generation()).isEqualTo(1);
        assertThat(status.lastCheckpoint()).hasValueSatisfying(c -> {
            assertThat(c.totalBytes()).isEqualTo(200);
            assertThat(c.images()).containsExactly(dir.resolve("ckpt_1.stasis").toString(),
                    dir.resolve("ckpt_2.stasis").toString());
        });
    }

    @Test
    void resourcesNothingRestoresComeFirstInTheBlockingAnswerOnceEach() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        String socket = "fd 5 socket:[TCP 127.0.0.1:40000->127.0.0.1:5000]";
        e.unrestored(a, new Unrestored(1, socket));
        e.unrestored(a, new Unrestored(1, socket));
        e.unrestored(b, new Unrestored(1, "fd 6 /dev/ptmx (pty)"));
        e.unrestored(b, new Unrestored(7, "fd 9 of another generation"));
        checkpointAll(e, 1, a, b);
        assertThat(waiter.last()).isEqualTo(CommandResult.ok(
                "warning: pid 10 (p10): " + socket + " will not be restored\n"
                        + "warning: pid 11 (p11): fd 6 /dev/ptmx (pty) will not be restored\n"
                        + "checkpoint 1: 2 processes, 200 B in 0.0 s"));

        FakePeer next = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        checkpointAll(e, 2, a, b);
        assertThat(next.last()).as("forgotten once answered")
                .isEqualTo(CommandResult.ok("checkpoint 2: 2 processes, 200 B in 0.0 s"));
    }

    @Test
    void processDisconnectingAbortsAndTheWaiterIsToldWhy() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        e.barrier(a, new Barrier("SUSPENDED", 1));
        e.barrier(b, new Barrier("SUSPENDED", 1));
        e.disconnected(b);

        assertThat(a.last()).isEqualTo(new Abort(1, "pid 11 (p11) disconnected during checkpoint 1"));
        assertThat(waiter.last()).isEqualTo(
                CommandResult.failed("checkpoint 1 failed: pid 11 (p11) disconnected during checkpoint 1"));
        assertThat(e.status().lastFailure()).isPresent();
        assertThat(e.list()).extracting(ProcessView::state).containsExactly("running");
        // the next checkpoint works, with the one that is left
        command(e, Verb.CHECKPOINT, 0);
        assertThat(a.last()).isEqualTo(new Checkpoint(2, "", 1));
    }

    /** One of another computation; one of the same has the checkpoint taken again (below). */
    @Test
    void processRegisteringDuringACheckpointDoesNotJoinIt() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10, 1, 0, 1, "one");
        command(e, Verb.CHECKPOINT, 0);
        FakePeer late = process(e, 11, 1, 0, 1, "two");
        e.barrier(a, new Barrier("SUSPENDED", 1));
        assertThat(a.last()).isEqualTo(new Release("SUSPENDED", 1));
        assertThat(late.sent()).containsExactly(new Welcome(2, 1, 0));
        e.barrier(late, new Barrier("DRAINED", 1));
        assertThat(late.sent()).hasSize(1);
    }

    @Test
    void killSendsKillToEveryProcess() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        assertThat(command(e, Verb.KILL, 0).last()).isEqualTo(CommandResult.ok("sent KILL to 2 processes"));
        assertThat(a.last()).isEqualTo(new Kill());
        assertThat(b.last()).isEqualTo(new Kill());
    }

    @Test
    void statusAndListAreJson() throws Exception {
        CoordinatorEngine e = engine();
        process(e, 10);
        CommandResult status = (CommandResult) command(e, Verb.STATUS, 0).last();
        assertThat(status.text()).startsWith("{\"host\":\"127.0.0.1\",\"port\":7779,\"processes\":1,\"generation\":0,");
        assertThat(StatusReport.fromJson(status.text())).isEqualTo(e.status());
        CommandResult list = (CommandResult) command(e, Verb.LIST, 0).last();
        assertThat(ProcessView.listFromJson(list.text())).containsExactly(
                new ProcessView("u-10", 10, 10, "node", "p10", "running", 0, "comp"));
    }

    @Test
    void unknownVerbIsABadRequest() {
        FakePeer p = new FakePeer(99);
        engine().command(p, new Command(42, 0));
        assertThat(((CommandResult) p.last()).status()).isEqualTo(CommandResult.BAD_REQUEST);
    }

    @Test
    void intervalCheckpointsRunAndCanBeChanged() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        assertThat(command(e, Verb.SET_INTERVAL, 10).last()).isEqualTo(CommandResult.ok("checkpoint every 10 s"));
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(a.sent(Checkpoint.class)).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(a.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 1));
        checkpointAll(e, 1, a);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(a.sent(Checkpoint.class)).hasSize(2);
        checkpointAll(e, 2, a);
        command(e, Verb.SET_INTERVAL, 0);
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(a.sent(Checkpoint.class)).hasSize(2);
        assertThat(e.status().intervalSeconds()).isZero();
    }

    @Test
    void namesAreScopedByComputationAndClearedByANewGeneration() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10, 1, 0, 1, "one");
        FakePeer b = process(e, 11, 1, 0, 1, "two");
        Bytes value = Bytes.fromHex("0102");
        e.publish(a, new NamePublish("k", value));
        e.lookup(a, new NameLookup("k"));
        assertThat(a.last()).isEqualTo(new NameValue("k", true, value));
        e.lookup(b, new NameLookup("k"));
        assertThat(b.last()).isEqualTo(NameValue.notFound("k"));
        command(e, Verb.CHECKPOINT, 0);
        // one checkpoint, two computations: each is told its own size
        assertThat(a.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 1));
        FakePeer c = process(e, 12, 1, 0, 1, "three");
        assertThat(b.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 1));
        assertThat(c.sent(Checkpoint.class)).isEmpty();
        e.lookup(a, new NameLookup("k"));
        assertThat(a.last()).isEqualTo(NameValue.notFound("k"));
    }

    @Test
    void restartedProcessesMeetAtBarriersByComputationSize() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10, 2, 5, 2, "comp");
        e.barrier(a, new Barrier("RESTARTED", 5));
        assertThat(a.sent(Release.class)).isEmpty();
        FakePeer b = process(e, 11, 2, 5, 2, "comp");
        e.barrier(b, new Barrier("RESTARTED", 5));
        assertThat(a.last()).isEqualTo(new Release("RESTARTED", 5));
        assertThat(b.last()).isEqualTo(new Release("RESTARTED", 5));
        assertThat(e.list()).extracting(ProcessView::state).containsOnly("restarting");

        // restarting processes are not checkpointed: the checkpoint waits until they run
        assertThat(command(e, Verb.CHECKPOINT, 0).last()).isEqualTo(CommandResult.ok(
                "checkpoint deferred: waiting for pid 10 (p10) (restarting), pid 11 (p11) (restarting)"));
        assertThat(a.sent(Checkpoint.class)).isEmpty();

        e.barrier(a, new Barrier("REFILLED", 5));
        e.barrier(b, new Barrier("REFILLED", 5));
        // past REFILLED they run, and the deferred checkpoint starts
        assertThat(a.last()).isEqualTo(new Checkpoint(6, "", 2));
        assertThat(e.list()).extracting(ProcessView::state).containsOnly("checkpointing");
    }

    @Test
    void restartBarrierThatNeverFillsIsAborted() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().barrierTimeout(Duration.ofSeconds(5)));
        FakePeer a = process(e, 10, 2, 5, 3, "comp");
        e.barrier(a, new Barrier("RESTARTED", 5));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(a.last()).isEqualTo(new Abort(5,
                "restart barrier RESTARTED timed out after 5 s: 1 of 3 processes of computation comp arrived"));
    }

    @Test
    void exitOnLastQuitsWhenTheLastProcessLeaves() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().exitOnLast(true));
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        e.bye(a, new Bye(0));
        assertThat(quits).isEmpty();
        e.disconnected(b);
        assertThat(quits).containsExactly("last process left");
    }

    @Test
    void exitOnLastWaitsForAFirstProcess() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().exitOnLast(true));
        scheduler.advance(Duration.ofSeconds(59));
        assertThat(quits).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(quits).containsExactly("no process registered within 60 s");
    }

    @Test
    void exitOnLastKeepsRunningForAFirstProcessThatArrivesInTime() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().exitOnLast(true));
        scheduler.advance(Duration.ofSeconds(30));
        process(e, 10);
        scheduler.advance(Duration.ofSeconds(300));
        assertThat(quits).isEmpty();
    }

    @Test
    void exitOnLastGivesAnExecingProcessTimeToComeBack() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().exitOnLast(true));
        FakePeer a = process(e, 10);
        e.bye(a, new Bye(1));
        e.disconnected(a);
        scheduler.advance(Duration.ofSeconds(1));
        process(e, 10);
        scheduler.advance(Duration.ofSeconds(120));
        assertThat(quits).isEmpty();
    }

    @Test
    void quitAnswersThenQuitsAndAbortsARunningCheckpoint() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        FakePeer quitter = command(e, Verb.QUIT, 0);
        assertThat(quitter.last()).isEqualTo(CommandResult.ok("coordinator on port 7779 quits"));
        assertThat(quits).containsExactly("quit command");
        assertThat(a.last()).isEqualTo(new Abort(1, "coordinator quits: quit command"));
        assertThat(((CommandResult) waiter.last()).ok()).isFalse();
    }

    @Test
    void waiterThatDisconnectsIsForgotten() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        e.disconnected(waiter);
        checkpointAll(e, 1, a);
        assertThat(waiter.sent()).isEmpty();
        assertThat(Files.exists(dir.resolve(RestartScriptWriter.FILE_NAME))).isTrue();
    }

    // ---- checkpoints deferred while processes are on their way in ----------------------------------

    @Test
    void checkpointWaitsForAnAuthenticatedProcessToRegister() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer coming = new FakePeer(nextPeer++);
        e.processConnected(coming);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        assertThat(a.sent(Checkpoint.class)).isEmpty();
        assertThat(e.status().checkpointDeferred()).hasValueSatisfying(w -> assertThat(w).contains("connecting"));

        e.register(coming, new Register("u-11", 11, 11, "node", "p11", 1, 0, 1, "comp", dir.toString()));

        assertThat(a.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 2));
        assertThat(coming.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 2));
        checkpointAll(e, 1, a, coming);
        assertThat(waiter.last()).isEqualTo(CommandResult.ok("checkpoint 1: 2 processes, 200 B in 0.0 s"));
    }

    /** DMTCP's "checkpointing too soon": `launch a.out & command -c` before a.out registered. */
    @Test
    void checkpointWaitsForAnAnnouncedLaunch() throws Exception {
        CoordinatorEngine e = engine();
        command(e, Verb.EXPECT_PROCESS, 4242);
        FakePeer nonBlocking = command(e, Verb.CHECKPOINT, 0);
        assertThat(((CommandResult) nonBlocking.last()).text()).isEqualTo(
                "checkpoint deferred: waiting for pid 4242 (launched)");
        FakePeer launched = process(e, 4242);
        assertThat(launched.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 1));
    }

    @Test
    void checkpointWaitsForAProcessThatExecs() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        e.bye(b, new Bye(1));
        e.disconnected(b);
        command(e, Verb.CHECKPOINT, 0);
        assertThat(a.sent(Checkpoint.class)).isEmpty();
        FakePeer back = process(e, 11);
        assertThat(a.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 2));
        assertThat(back.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 2));
    }

    @Test
    void checkpointWaitsForARestartToFinish() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer running = process(e, 9, 1, 0, 1, "other");
        FakePeer restarted = process(e, 10, 2, 5, 1, "comp");
        command(e, Verb.CHECKPOINT, 0);
        assertThat(running.sent(Checkpoint.class)).isEmpty();
        e.barrier(restarted, new Barrier("RESTARTED", 5));
        e.barrier(restarted, new Barrier("REFILLED", 5));
        assertThat(restarted.sent(Checkpoint.class)).containsExactly(new Checkpoint(6, "", 1));
        assertThat(running.sent(Checkpoint.class)).containsExactly(new Checkpoint(6, "", 1));
    }

    @Test
    void aProcessThatNeverComesHoldsCheckpointsBackOnlyUntilTheLimit() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().arrivalTimeout(Duration.ofSeconds(10)));
        FakePeer a = process(e, 10);
        command(e, Verb.EXPECT_PROCESS, 999);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        scheduler.advance(Duration.ofMillis(9999));
        assertThat(a.sent(Checkpoint.class)).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(a.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 1));
        checkpointAll(e, 1, a);
        assertThat(((CommandResult) waiter.last()).ok()).isTrue();
        // forgotten: the next checkpoint starts at once
        command(e, Verb.CHECKPOINT, 0);
        assertThat(a.sent(Checkpoint.class)).hasSize(2);
    }

    @Test
    void connectionThatClosesBeforeRegisteringReleasesTheCheckpoint() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer flaky = new FakePeer(nextPeer++);
        e.processConnected(flaky);
        command(e, Verb.CHECKPOINT, 0);
        e.disconnected(flaky);
        assertThat(a.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 1));
    }

    @Test
    void participantThatExecsMidCheckpointAbortsItAndItIsTakenAgainWhenItIsBack() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        e.barrier(a, new Barrier("SUSPENDED", 1));
        e.bye(b, new Bye(1));
        assertThat(a.last()).isEqualTo(new Abort(1, "pid 11 (p11) disconnected during checkpoint 1"));
        assertThat(waiter.sent()).isEmpty();

        FakePeer back = process(e, 11);
        assertThat(back.sent(Checkpoint.class)).containsExactly(new Checkpoint(2, "", 2));
        checkpointAll(e, 2, a, back);
        assertThat(waiter.last()).isEqualTo(CommandResult.ok("checkpoint 2: 2 processes, 200 B in 0.0 s"));
    }

    // ---- files of a process that vanished ------------------------------------------------------------

    @Test
    void processKilledWhileWritingLeavesNoTemporaryImage() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        Path previous = Files.writeString(dir.resolve("ckpt_p11_u-11.stasis"), "generation 0");
        command(e, Verb.CHECKPOINT, 0);
        for (String barrier : List.of("SUSPENDED", "DRAINED")) {
            e.barrier(a, new Barrier(barrier, 1));
            e.barrier(b, new Barrier(barrier, 1));
        }
        Path temporary = Files.writeString(dir.resolve(".ckpt_p11_u-11.stasis.11.tmp"), "half an image");
        e.disconnected(b);

        assertThat(temporary).doesNotExist();
        assertThat(previous).hasContent("generation 0");
        assertThat(a.last()).isInstanceOf(Abort.class);
    }

    @Test
    void processKilledAfterTheCommitPointHasItsImagePutInPlace() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        for (String barrier : List.of("SUSPENDED", "DRAINED", "WRITTEN")) {
            e.barrier(a, new Barrier(barrier, 1));
            e.barrier(b, new Barrier(barrier, 1));
        }
        Files.writeString(dir.resolve(".ckpt_p11_u-11.stasis.11.tmp"), "a whole image");
        e.disconnected(b);
        e.checkpointResult(a, new CkptResult(1, 0, dir.resolve("ckpt_p10_u-10.stasis").toString(), 100, 400, 10, ""));
        e.barrier(a, new Barrier("CHECKPOINTED", 1));

        assertThat(dir.resolve("ckpt_p11_u-11.stasis")).hasContent("a whole image");
        assertThat(dir.resolve(".ckpt_p11_u-11.stasis.11.tmp")).doesNotExist();
        assertThat(((CommandResult) waiter.last()).text()).startsWith("checkpoint 1: 2 processes")
                .endsWith("(pid 11 (p11) exited after its image was written)");
        assertThat(Files.readString(dir.resolve(RestartScriptWriter.FILE_NAME))).contains("ckpt_p11_u-11.stasis");
    }

    // ---- exit after checkpoint -----------------------------------------------------------------------

    @Test
    void exitAfterCheckpointKillsEveryProcessOnceTheImagesAreSafeThenQuits() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().exitAfterCheckpoint(true));
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        checkpointAll(e, 1, a, b);
        assertThat(((CommandResult) waiter.last()).ok()).isTrue();
        assertThat(a.last()).isEqualTo(new Kill());
        assertThat(b.last()).isEqualTo(new Kill());
        e.disconnected(a);
        assertThat(quits).isEmpty();
        e.disconnected(b);
        assertThat(quits).containsExactly("exit after checkpoint");
    }

    @Test
    void exitAfterCheckpointKeepsRunningWhenTheCheckpointFails() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().exitAfterCheckpoint(true));
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        command(e, Verb.CHECKPOINT, 0);
        e.disconnected(b);
        assertThat(a.sent(Kill.class)).isEmpty();
        assertThat(quits).isEmpty();
    }

    @Test
    void exitAfterCheckpointQuitsEvenIfAProcessIgnoresKill() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().exitAfterCheckpoint(true));
        FakePeer a = process(e, 10);
        command(e, Verb.CHECKPOINT, 0);
        checkpointAll(e, 1, a);
        scheduler.advance(CoordinatorEngine.EVICTION_GRACE);
        assertThat(quits).singleElement().asString().startsWith("exit after checkpoint (1 process still connected");
    }

    // ---- checkpoint and stop, generation directories (stasis batch) ----------------------------------

    @Test
    void checkpointAndStopKillsTheProcessesFrozenAndTheNextCheckpointResumesAgain() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer waiter = command(e, Verb.CHECKPOINT_AND_STOP, 0);
        checkpointAll(e, 1, a);
        assertThat(((CommandResult) waiter.last()).ok()).isTrue();
        assertThat(a.sent(Release.class)).extracting(Release::name).doesNotContain("CHECKPOINTED");
        assertThat(a.last()).isEqualTo(new Kill());
        assertThat(quits).as("the coordinator stays").isEmpty();
        e.disconnected(a); // killed

        FakePeer b = process(e, 11);
        command(e, Verb.BLOCKING_CHECKPOINT, 0);
        checkpointAll(e, 2, b);
        assertThat(b.last()).isEqualTo(new Release("CHECKPOINTED", 2));
    }

    @Test
    void eachGenerationHasItsOwnDirectoryAndOnlyTheNewestTwoStay() throws Exception {
        Path root = dir.resolve("stasis-ckpt");
        CoordinatorEngine e = engine(CoordinatorOptions.builder().checkpointDir(root.toString()).keepGenerations(2));
        FakePeer a = process(e, 10);
        for (long gen = 1; gen <= 3; gen++) {
            command(e, Verb.BLOCKING_CHECKPOINT, 0);
            assertThat(a.sent(Checkpoint.class)).last().extracting(Checkpoint::checkpointDir)
                    .isEqualTo(root.resolve("generation-" + gen).toString());
            for (String barrier : List.of("SUSPENDED", "DRAINED", "WRITTEN")) {
                e.barrier(a, new Barrier(barrier, gen));
            }
            Path image = root.resolve("generation-" + gen).resolve("ckpt_p10_u-10.stasis");
            Files.writeString(image, "image");
            e.checkpointResult(a, new CkptResult(gen, 0, image.toString(), 5, 5, 1, ""));
            e.barrier(a, new Barrier("CHECKPOINTED", gen));
        }
        assertThat(GenerationDirectories.list(root))
                .extracting(GenerationDirectories.Generation::number)
                .containsExactly(2L, 3L);
        assertThat(GenerationDirectories.latestComplete(root)).get()
                .extracting(GenerationDirectories.Generation::number).isEqualTo(3L);
    }

    // ---- processes exiting or exec'ing around a checkpoint --------------------------------------------

    /** libstasis does not checkpoint a process that said BYE(exit): alone in its computation it is counted out. */
    @Test
    void participantThatExitsBeforeJoiningIsCountedOut() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10, 1, 0, 1, "one");
        FakePeer b = process(e, 11, 1, 0, 1, "two");
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        e.barrier(a, new Barrier("SUSPENDED", 1));
        e.bye(b, new Bye(0));
        assertThat(a.last()).isEqualTo(new Release("SUSPENDED", 1));
        checkpointAll(e, 1, a);
        assertThat(waiter.last()).isEqualTo(CommandResult.ok("checkpoint 1: 1 process, 100 B in 0.0 s"));
    }

    /** Every image records the size of its computation: one that shrank is checkpointed again. */
    @Test
    void participantThatExitsFromAComputationOfSeveralHasTheCheckpointTakenAgain() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        e.barrier(a, new Barrier("SUSPENDED", 1));
        e.bye(b, new Bye(0));
        assertThat(a.sent(Abort.class)).containsExactly(new Abort(1, "pid 11 (p11) exited before checkpoint 1 reached it"));
        assertThat(a.last()).isEqualTo(new Checkpoint(2, "", 1));
        checkpointAll(e, 2, a);
        assertThat(waiter.last()).isEqualTo(CommandResult.ok("checkpoint 2: 1 process, 100 B in 0.0 s"));
    }

    /**
     * A child forked while its parent was asked to checkpoint registers during the round (libstasis holds
     * the parent's checkpoint until it did): the round would lack it, so it is taken again with it.
     */
    @Test
    void processOfTheComputationArrivingMidCheckpointHasItTakenAgainWithIt() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer parent = process(e, 10);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        assertThat(parent.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 1));
        FakePeer child = process(e, 11);
        assertThat(parent.sent(Abort.class))
                .containsExactly(new Abort(1, "pid 11 (p11) of the computation started during checkpoint 1"));
        assertThat(parent.last()).isEqualTo(new Checkpoint(2, "", 2));
        assertThat(child.sent(Checkpoint.class)).containsExactly(new Checkpoint(2, "", 2));
        e.barrier(parent, new Barrier("SUSPENDED", 1));
        checkpointAll(e, 2, parent, child);
        assertThat(waiter.last()).isEqualTo(CommandResult.ok("checkpoint 2: 2 processes, 200 B in 0.0 s"));
    }

    @Test
    void processThatDiesInTheMiddleOfTheCheckpointIsNotRetried() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        e.barrier(b, new Barrier("SUSPENDED", 1));
        e.disconnected(b);
        assertThat(((CommandResult) waiter.last()).ok()).isFalse();
        assertThat(a.sent(Checkpoint.class)).hasSize(1);
    }

    /** A child that ends with _exit says no BYE: gone before it joined, it is handled as one that exited. */
    @Test
    void processThatVanishesBeforeJoiningHasTheCheckpointTakenAgainWithoutIt() throws Exception {
        CoordinatorEngine e = engine();
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        FakePeer waiter = command(e, Verb.BLOCKING_CHECKPOINT, 0);
        e.barrier(a, new Barrier("SUSPENDED", 1));
        e.disconnected(b);
        assertThat(a.sent(Abort.class)).containsExactly(new Abort(1, "pid 11 (p11) exited before checkpoint 1 reached it"));
        assertThat(a.last()).isEqualTo(new Checkpoint(2, "", 1));
        checkpointAll(e, 2, a);
        assertThat(((CommandResult) waiter.last()).ok()).isTrue();
    }

    /** A short program exec'd by a process may exit before it registers: seen dead, it is waited for no more. */
    @Test
    void execdProcessFoundDeadIsNoLongerWaitedFor() throws Exception {
        java.util.Set<Long> dead = new java.util.HashSet<>();
        CoordinatorEngine e = engine(dead);
        FakePeer a = process(e, 10);
        FakePeer b = process(e, 11);
        e.bye(b, new Bye(1));
        e.disconnected(b);
        command(e, Verb.CHECKPOINT, 0);
        scheduler.advance(Duration.ofMillis(500));
        assertThat(a.sent(Checkpoint.class)).isEmpty();
        dead.add(11L);
        scheduler.advance(Duration.ofMillis(20));
        assertThat(a.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 1));
    }

    /** Processes that keep coming (a busy make) do not starve checkpoints: the deferral as a whole is bounded. */
    @Test
    void deferralIsBoundedWhenProcessesKeepComing() throws Exception {
        CoordinatorEngine e = engine(CoordinatorOptions.builder().arrivalTimeout(Duration.ofSeconds(10)));
        FakePeer a = process(e, 10);
        e.processConnected(new FakePeer(nextPeer++));
        command(e, Verb.CHECKPOINT, 0);
        for (int second = 1; second < 10; second++) {
            scheduler.advance(Duration.ofSeconds(1));
            e.processConnected(new FakePeer(nextPeer++));
        }
        assertThat(a.sent(Checkpoint.class)).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(a.sent(Checkpoint.class)).containsExactly(new Checkpoint(1, "", 1));
    }
}
