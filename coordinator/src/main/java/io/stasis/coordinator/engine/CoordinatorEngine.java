package io.stasis.coordinator.engine;

import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.protocol.Barrier;
import io.stasis.coordinator.protocol.Bye;
import io.stasis.coordinator.protocol.CkptResult;
import io.stasis.coordinator.protocol.Command;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.coordinator.protocol.ErrorCode;
import io.stasis.coordinator.protocol.Kill;
import io.stasis.coordinator.protocol.NameLookup;
import io.stasis.coordinator.protocol.NamePublish;
import io.stasis.coordinator.protocol.NameValue;
import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.protocol.Protocol;
import io.stasis.coordinator.protocol.ProtocolException;
import io.stasis.coordinator.protocol.Register;
import io.stasis.coordinator.protocol.Unrestored;
import io.stasis.coordinator.protocol.Verb;
import io.stasis.coordinator.protocol.Welcome;
import io.stasis.coordinator.report.CheckpointSummary;
import io.stasis.coordinator.report.FailureSummary;
import io.stasis.coordinator.report.ProcessView;
import io.stasis.coordinator.report.StatusReport;
import io.stasis.coordinator.script.GenerationDirectories;
import io.stasis.coordinator.script.RestartScriptWriter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the coordinator decides: the process table, checkpoint generations (deferred while processes
 * are on their way in, see {@link Arrivals}), restart barriers, the name service, commands, interval
 * checkpoints, exit-on-last and exit-after-checkpoint. Not thread-safe on purpose: every call,
 * including the scheduler's tasks, happens on one thread (the server's single event loop), so there is
 * no locking to get wrong. It knows nothing about Netty: peers and the scheduler are interfaces.
 */
public final class CoordinatorEngine {

    private static final Scheduler.Cancellable NOTHING = () -> { };
    /**
     * How often a checkpoint aborted because a participant exec'd or exited, or a process of its computation
     * arrived, is tried again before giving up.
     */
    private static final int RETRIES = 5;
    /** With exit-after-checkpoint: how long killed processes get to disconnect before the coordinator quits anyway. */
    static final Duration EVICTION_GRACE = Duration.ofSeconds(10);

    private final System.Logger log = System.getLogger(CoordinatorEngine.class.getName());
    private final CoordinatorOptions options;
    private final String host;
    private final int port;
    private final Scheduler scheduler;
    private final Clock clock;
    private final RestartScriptWriter scripts;
    private final ImageFiles imageFiles;
    private final Consumer<String> quitAction;

    private final ProcessTable processes = new ProcessTable();
    private final NameService names = new NameService();
    private final RestartBarriers restarts;
    private final Arrivals arrivals;
    private final Deferral deferral;
    /** Command clients waiting for the running checkpoint (blocking checkpoint). */
    private final List<Peer> waiters = new ArrayList<>();
    private final UnrestoredResources unrestored = new UnrestoredResources();

    private CheckpointRound round;
    /** Set while a participant's leaving or a newcomer is handled: the round it aborts is taken again. */
    private boolean retryAfterAbort;
    private int retries;
    /** Exit-after-checkpoint: the checkpoint is taken and every process was told to die. */
    private boolean evicting;
    private long generation;
    private long intervalSeconds;
    private long nextProcessNumber = 1;
    private boolean everRegistered;
    private boolean stopped;
    /** A CHECKPOINT_AND_STOP waits: the round answering it kills its processes instead of resuming them. */
    private boolean stopRequested;
    /** Null unless each generation has its own directory. */
    private final GenerationDirectories generations;
    private Scheduler.Cancellable intervalTimer = NOTHING;
    private Scheduler.Cancellable graceTimer = NOTHING;
    private CheckpointSummary lastCheckpoint;
    private FailureSummary lastFailure;

    /**
     * @param host       the coordinator's host as processes and restart scripts should name it
     * @param port       the port it listens on
     * @param quitAction told once, with a reason, when the coordinator must stop (quit command, exit-on-last)
     */
    public CoordinatorEngine(CoordinatorOptions options, String host, int port, Scheduler scheduler, Clock clock,
                             RestartScriptWriter scripts, ImageFiles imageFiles, ProcessProbe probe,
                             Consumer<String> quitAction) {
        this.options = options;
        this.host = host;
        this.port = port;
        this.scheduler = scheduler;
        this.clock = clock;
        this.scripts = scripts;
        this.imageFiles = imageFiles;
        this.quitAction = quitAction;
        this.restarts = new RestartBarriers(scheduler, options.barrierTimeout(), this::refilled);
        this.arrivals = new Arrivals(options.arrivalTimeout().toMillis(), options.barrierTimeout().toMillis());
        this.deferral = new Deferral(arrivals, probe, scheduler, clock, options.arrivalTimeout());
        this.generations = options.keepGenerations() > 0
                ? new GenerationDirectories(Path.of(options.checkpointDir()), options.keepGenerations())
                : null;
    }

    /** With the image files of this machine, and no looking at processes: waits end with their timeouts. */
    public CoordinatorEngine(CoordinatorOptions options, String host, int port, Scheduler scheduler, Clock clock,
                             RestartScriptWriter scripts, Consumer<String> quitAction) {
        this(options, host, port, scheduler, clock, scripts, new LocalImageFiles(), ProcessProbe.NOTHING_KNOWN,
                quitAction);
    }

    /** Arms the interval timer and, with exit-on-last, the wait for a first process. */
    public void start() {
        setInterval(options.intervalSeconds());
        if (options.exitOnLast()) {
            armGrace("no process registered within " + options.firstProcessGrace().toSeconds() + " s");
        }
    }

    // ---- process messages -------------------------------------------------------------------------

    /** A process connection authenticated; its REGISTER follows. Checkpoints wait for it. */
    public void processConnected(Peer peer) {
        arrivals.connected(peer.id(), peer.address(), clock.millis());
    }

    public void register(Peer peer, Register r) throws ProtocolException {
        if (processes.contains(peer.id())) {
            throw new ProtocolException(ErrorCode.NOT_ALLOWED, "REGISTER sent twice");
        }
        if (r.state() != Protocol.STATE_RUNNING && r.state() != Protocol.STATE_RESTARTING) {
            throw new ProtocolException(ErrorCode.MALFORMED, "unknown process state " + r.state());
        }
        Optional<ProcessTable.Entry> twin = processes.byUniqueId(r.uniqueId());
        if (twin.isPresent()) {
            // a second copy of a live process (its image restarted while it runs) would write the same image
            ProcessRecord alive = twin.get().process();
            throw new ProtocolException(ErrorCode.ALREADY_RUNNING, "process " + alive.pid() + " ("
                    + alive.program() + ", unique id " + alive.uniqueId() + ") is already running in this "
                    + "computation (kernel pid " + alive.realPid() + " on " + alive.host() + ")");
        }
        ProcessRecord process = ProcessRecord.registered(nextProcessNumber++, r);
        processes.add(peer, process);
        everRegistered = true;
        graceTimer.cancel();
        generation = Math.max(generation, r.generation());
        peer.send(new Welcome(process.number(), generation, intervalSeconds));
        if (r.restarting()) {
            restarts.join(peer, process);
        }
        arrivals.registered(peer.id(), r, process, clock.millis());
        log.log(Level.DEBUG, () -> "registered #" + process.number() + " " + process.describe() + " on "
                + process.host() + (r.restarting() ? " (restarting, computation of " + r.computationSize() + ")" : ""));
        if (round != null && !r.restarting()) {
            // a child forked or spawned while its parent was asked to checkpoint: taken again with it
            retryAfterAbort = true;
            round.processArrived(process);
            retryAfterAbort = false;
        }
        if (evicting) {
            // exit-after-checkpoint: the computation is over; a process coming back (exec) goes too
            peer.send(new Kill());
        }
        startDeferredIfSettled();
    }

    public void barrier(Peer peer, Barrier b) throws ProtocolException {
        ProcessRecord process = registered(peer);
        if (process.state() == ProcessState.RESTARTING) {
            restarts.barrier(peer, process, b.name(), b.generation());
        } else if (round == null || !round.barrier(peer.id(), b.name(), b.generation())) {
            log.log(Level.DEBUG, () -> "ignoring barrier " + b.name() + " of generation " + b.generation()
                    + " from " + process.describe());
        }
    }

    public void checkpointResult(Peer peer, CkptResult result) throws ProtocolException {
        registered(peer);
        if (round != null) {
            round.result(peer.id(), result);
        }
    }

    public void progress(Peer peer, Progress progress) throws ProtocolException {
        registered(peer);
        if (round != null) {
            round.progress(peer.id(), progress);
        }
    }

    public void unrestored(Peer peer, Unrestored u) throws ProtocolException {
        ProcessRecord process = registered(peer);
        if (round == null || round.generation() != u.generation()) {
            log.log(Level.DEBUG, () -> "ignoring UNRESTORED of generation " + u.generation() + " from "
                    + process.describe());
        } else if (unrestored.add(process, u.what())) {
            log.log(Level.WARNING, process.describe() + ": " + u.what() + " will not be restored");
        }
    }

    public void bye(Peer peer, Bye bye) throws ProtocolException {
        registered(peer);
        leave(peer, bye.reason() == Protocol.BYE_EXEC ? Leaving.EXEC : Leaving.EXIT);
    }

    public void publish(Peer peer, NamePublish publish) throws ProtocolException {
        names.publish(registered(peer).computationId(), publish.key(), publish.value());
    }

    public void lookup(Peer peer, NameLookup lookup) throws ProtocolException {
        String computation = registered(peer).computationId();
        peer.send(names.lookup(computation, lookup.key())
                .map(v -> new NameValue(lookup.key(), true, v))
                .orElseGet(() -> NameValue.notFound(lookup.key())));
    }

    /** Any connection closed, process or command client. */
    public void disconnected(Peer peer) {
        waiters.remove(peer);
        if (processes.contains(peer.id())) {
            leave(peer, Leaving.VANISHED);
        } else {
            arrivals.left(peer.id());
            startDeferredIfSettled();
        }
    }

    // ---- commands ---------------------------------------------------------------------------------

    public void command(Peer peer, Command command) {
        Optional<Verb> verb = Verb.of(command.verb());
        if (verb.isEmpty()) {
            reply(peer, new CommandResult(CommandResult.BAD_REQUEST, "unknown command verb " + command.verb()));
            return;
        }
        switch (verb.get()) {
            case CHECKPOINT -> reply(peer, requestCheckpoint(null));
            case BLOCKING_CHECKPOINT, CHECKPOINT_AND_STOP -> {
                if (verb.get() == Verb.CHECKPOINT_AND_STOP) {
                    stopRequested = true;
                    if (round != null) {
                        round.stopAtEnd();
                    }
                }
                CommandResult now = requestCheckpoint(peer);
                if (now != null) {
                    reply(peer, now);
                }
            }
            case KILL -> {
                List<ProcessTable.Entry> all = processes.entries();
                all.forEach(e -> e.peer().send(new Kill()));
                reply(peer, CommandResult.ok("sent KILL to " + count(all.size())));
            }
            case STATUS -> reply(peer, CommandResult.ok(status().toJson()));
            case LIST -> reply(peer, CommandResult.ok(ProcessView.listToJson(list())));
            case SET_INTERVAL -> {
                setInterval(command.argument());
                reply(peer, CommandResult.ok(command.argument() == 0 ? "interval checkpoints off"
                        : "checkpoint every " + command.argument() + " s"));
            }
            case QUIT -> {
                reply(peer, CommandResult.ok("coordinator on port " + port + " quits"));
                quit("quit command");
            }
            case EXPECT_PROCESS -> {
                arrivals.announced(command.argument(), peer.onThisMachine(), clock.millis());
                reply(peer, CommandResult.ok("expecting pid " + command.argument()));
            }
        }
    }

    public StatusReport status() {
        return new StatusReport(host, port, processes.size(), generation, round != null, intervalSeconds,
                Optional.ofNullable(lastCheckpoint), Optional.ofNullable(lastFailure),
                deferral.waiting() ? Optional.of(deferral.waitingFor()) : Optional.empty());
    }

    public List<ProcessView> list() {
        List<ProcessView> views = new ArrayList<>();
        for (ProcessTable.Entry e : processes.entries()) {
            ProcessRecord p = e.process();
            views.add(new ProcessView(p.uniqueId(), p.pid(), p.realPid(), p.host(), p.program(), p.state().label(),
                    p.generation(), p.computationId()));
        }
        return views;
    }

    /** Stops timers and aborts a running checkpoint; the server calls it when it closes. Idempotent. */
    public void shutdown(String reason) {
        if (stopped) {
            return;
        }
        stopped = true;
        intervalTimer.cancel();
        graceTimer.cancel();
        if (round != null) {
            round.cancel("coordinator quits: " + reason);
        } else if (deferral.waiting()) {
            deferral.cancel();
            answerWaiters(CommandResult.failed("checkpoint not taken: coordinator quits: " + reason));
        }
    }

    // ---- checkpoints ------------------------------------------------------------------------------

    /**
     * Starts a checkpoint of every running process, joins the one running, or defers it while processes
     * are on their way in. Returns the answer to give now, or null when {@code waiter} will be answered
     * when the checkpoint ends.
     */
    private CommandResult requestCheckpoint(Peer waiter) {
        if (waiter != null) {
            waiters.add(waiter);
        }
        if (round != null) {
            return waiter != null ? null : CommandResult.ok("checkpoint " + round.generation() + " already running");
        }
        if (deferral.defer(this::startDeferredIfSettled)) {
            return waiter != null ? null : CommandResult.ok("checkpoint deferred: waiting for "
                    + deferral.waitingFor());
        }
        return startRound(waiter != null);
    }

    /** Called whenever a process arrives or leaves: a deferred checkpoint starts once nobody is on the way. */
    private void startDeferredIfSettled() {
        if (deferral.waiting() && round == null && !stopped && deferral.mayStart(this::startDeferredIfSettled)) {
            startRound(true);
        }
    }

    /**
     * Starts a round of every running process. Waiters are answered when it ends, or now if there is
     * nobody to checkpoint; the result is for a non-blocking requester, null when {@code waiting}.
     */
    private CommandResult startRound(boolean waiting) {
        List<ProcessTable.Entry> running = processes.inState(ProcessState.RUNNING);
        if (running.isEmpty()) {
            CommandResult nobody = CommandResult.failed("no processes to checkpoint");
            answerWaiters(nobody);
            return waiting ? null : nobody;
        }
        generation++;
        String directory = options.checkpointDir();
        if (generations != null) {
            try {
                directory = generations.prepare(generation).toString();
            } catch (IOException e) {
                CommandResult failed = CommandResult.failed("cannot create the directory of checkpoint " + generation
                        + ": " + e.getMessage());
                answerWaiters(failed);
                return waiting ? null : failed;
            }
        }
        names.clear();
        unrestored.clear(); // a round taken again hears its processes anew: only the last one is answered
        List<CheckpointRound.Participant> participants = new ArrayList<>();
        for (ProcessTable.Entry e : running) {
            participants.add(new CheckpointRound.Participant(e.peer(), e.process()));
            processes.update(e.peer().id(), p -> p.withState(ProcessState.CHECKPOINTING));
        }
        round = new CheckpointRound(generation, directory, participants, scheduler,
                options.barrierTimeout(), clock, imageFiles, new RoundListener());
        if (stopRequested || options.exitAfterCheckpoint()) {
            round.stopAtEnd();
        }
        log.log(Level.DEBUG, () -> "checkpoint " + generation + " of " + count(participants.size()) + " starts");
        round.start();
        return waiting ? null : CommandResult.ok("checkpoint " + generation + " started ("
                + count(participants.size()) + ")");
    }

    private final class RoundListener implements CheckpointRound.Listener {
        @Override
        public void progress(long gen, long bytesDone, long bytesTotal) {
            waiters.forEach(w -> w.send(new Progress(gen, bytesDone, bytesTotal)));
        }

        @Override
        public void finished(CheckpointOutcome outcome) {
            roundFinished(outcome);
        }
    }

    private void roundFinished(CheckpointOutcome outcome) {
        for (CheckpointRound.Participant p : round.participants()) {
            processes.update(p.peer().id(), rec -> {
                ProcessRecord running = rec.withState(ProcessState.RUNNING);
                return outcome.ok() ? running.withGeneration(outcome.generation()) : running;
            });
        }
        round = null;
        Instant started = Instant.ofEpochMilli(outcome.startedMillis());
        if (outcome.ok()) {
            lastCheckpoint = new CheckpointSummary(outcome.generation(), started, outcome.durationMillis(),
                    outcome.totalBytes(), outcome.images().stream().map(ImageInfo::path).toList());
            log.log(Level.INFO, outcome.summary());
            try {
                scripts.write(outcome, host, port);
                if (generations != null) {
                    generations.prune(outcome.generation());
                }
            } catch (IOException | RuntimeException e) {
                log.log(Level.WARNING, "cannot write " + RestartScriptWriter.FILE_NAME + ": " + e.getMessage());
            }
        } else {
            lastFailure = new FailureSummary(outcome.generation(), started, outcome.reason());
            log.log(Level.WARNING, outcome.summary());
        }
        if (!outcome.ok() && retryAfterAbort && retries < RETRIES && !stopped) {
            // not half-taken, and not lost either: taken again, once a process that exec'd is back
            retryAfterAbort = false;
            retries++;
            log.log(Level.INFO, "checkpoint " + outcome.generation() + " is taken again");
            requestCheckpoint(null);
            return;
        }
        retryAfterAbort = false;
        retries = 0;
        stopRequested = false;
        String text = unrestored.prefix(outcome.summary());
        answerWaiters(outcome.ok() ? CommandResult.ok(text) : CommandResult.failed(text));
        if (outcome.ok() && options.exitAfterCheckpoint()) {
            evict();
        }
    }

    private void answerWaiters(CommandResult result) {
        List<Peer> answered = List.copyOf(waiters);
        waiters.clear();
        answered.forEach(w -> reply(w, result));
    }

    /** Exit-after-checkpoint (batch eviction): the images are safe; stop every process, then quit. */
    private void evict() {
        evicting = true;
        List<ProcessTable.Entry> all = processes.entries();
        log.log(Level.INFO, "checkpoint taken; stopping " + count(all.size()) + " (exit after checkpoint)");
        all.forEach(e -> e.peer().send(new Kill()));
        if (processes.isEmpty()) {
            quit("exit after checkpoint");
        } else {
            scheduler.schedule(EVICTION_GRACE, () -> quit("exit after checkpoint ("
                    + count(processes.size()) + " still connected after " + EVICTION_GRACE.toSeconds() + " s)"));
        }
    }

    private void setInterval(long seconds) {
        intervalSeconds = seconds;
        intervalTimer.cancel();
        intervalTimer = NOTHING;
        if (seconds > 0 && !stopped) {
            intervalTimer = scheduler.schedule(Duration.ofSeconds(seconds), this::intervalTick);
        }
    }

    private void intervalTick() {
        if (stopped || intervalSeconds == 0) {
            return;
        }
        intervalTimer = scheduler.schedule(Duration.ofSeconds(intervalSeconds), this::intervalTick);
        if (round == null && !processes.inState(ProcessState.RUNNING).isEmpty()) {
            requestCheckpoint(null);
        }
    }

    // ---- restart ----------------------------------------------------------------------------------

    private void refilled(List<Long> peerIds) {
        peerIds.forEach(id -> {
            processes.update(id, p -> p.withState(ProcessState.RUNNING));
            arrivals.refilled(id);
        });
        startDeferredIfSettled();
    }

    // ---- leaving ----------------------------------------------------------------------------------

    /** How a registered process goes. */
    private enum Leaving {
        /** BYE(exit): it exits, and takes part in no checkpoint from now on. */
        EXIT,
        /** BYE(exec): it registers again, as the new program, under the same unique id. */
        EXEC,
        /** The connection closed without BYE: killed, crashed, or cut off. */
        VANISHED
    }

    private void leave(Peer peer, Leaving how) {
        boolean exec = how == Leaving.EXEC;
        Optional<ProcessTable.Entry> gone = processes.remove(peer.id());
        restarts.left(peer.id());
        arrivals.left(peer.id());
        if (exec) {
            // it registers again under the same unique id: a checkpoint now would miss it
            gone.ifPresent(e -> arrivals.execing(e.process(), clock.millis()));
        }
        if (round != null && round.isParticipant(peer.id())) {
            // One that vanishes before it joined the checkpoint (a child ending with _exit says no BYE) is
            // handled like one that exited. A round aborted by an exec or an exit is taken again; one
            // aborted by a death in the middle of it is not: that failure is reported.
            boolean exited = how == Leaving.EXIT || how == Leaving.VANISHED && !round.hasJoined(peer.id());
            retryAfterAbort = exited || how == Leaving.EXEC;
            if (exited) {
                round.participantExited(peer.id());
            } else {
                round.participantLeft(peer.id());
            }
            retryAfterAbort = false;
        }
        gone.ifPresent(e -> log.log(Level.DEBUG, () -> e.process().describe() + (exec ? " exec'd" : " left")));
        startDeferredIfSettled();
        if (evicting && processes.isEmpty()) {
            quit("exit after checkpoint");
            return;
        }
        if (options.exitOnLast() && everRegistered && processes.isEmpty()) {
            if (exec) {
                // the program replaces itself: the new image registers again in a moment
                armGrace("the process that exec'd did not come back within "
                        + options.firstProcessGrace().toSeconds() + " s");
            } else {
                quit("last process left");
            }
        }
    }

    private void armGrace(String reason) {
        graceTimer.cancel();
        graceTimer = scheduler.schedule(options.firstProcessGrace(), () -> {
            if (processes.isEmpty()) {
                quit(reason);
            }
        });
    }

    private void quit(String reason) {
        if (stopped) {
            return;
        }
        log.log(Level.INFO, "coordinator on port " + port + " quits: " + reason);
        shutdown(reason);
        quitAction.accept(reason);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private ProcessRecord registered(Peer peer) throws ProtocolException {
        return processes.get(peer.id())
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_ALLOWED, "REGISTER first"))
                .process();
    }

    /** A text that does not fit a {@code str} becomes an error instead of a broken frame. */
    private static void reply(Peer peer, CommandResult result) {
        int bytes = result.text().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > 0xFFFF) {
            result = CommandResult.failed("answer too long for one frame (" + bytes + " bytes)");
        }
        peer.send(result);
    }

    private static String count(int n) {
        return n + (n == 1 ? " process" : " processes");
    }
}
