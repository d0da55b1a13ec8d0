package io.stasis.coordinator.engine;

import io.stasis.coordinator.protocol.Abort;
import io.stasis.coordinator.protocol.Checkpoint;
import io.stasis.coordinator.protocol.CkptResult;
import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.protocol.Protocol;
import io.stasis.coordinator.protocol.Release;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One checkpoint generation: the participants are fixed when it starts; every barrier, whatever its name,
 * is released once all of them reached it; {@code CHECKPOINTED} ends it. A participant that leaves or
 * fails, or a barrier that waits longer than the timeout, aborts it for everyone else.
 *
 * <p>The timeout measures time without a release or any progress report, so a large image that keeps
 * reporting progress is not cut short.
 */
public final class CheckpointRound {

    /** Told about the round; called on the engine's thread. */
    public interface Listener {
        void progress(long generation, long bytesDone, long bytesTotal);

        void finished(CheckpointOutcome outcome);
    }

    public record Participant(Peer peer, ProcessRecord process) {
    }

    private static final long NOBODY = -1;

    private final long generation;
    private final String checkpointDir;
    private final Map<Long, Participant> participants = new LinkedHashMap<>();
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Clock clock;
    private final Listener listener;

    private final Map<String, Set<Long>> arrived = new LinkedHashMap<>();
    private final Set<String> released = new HashSet<>();
    private final Map<Long, CkptResult> results = new HashMap<>();
    private final Map<Long, Progress> progress = new HashMap<>();
    private String lastReleased;
    private String pending;
    private Scheduler.Cancellable timer = () -> { };
    private long startedMillis;
    private boolean finished;

    public CheckpointRound(long generation, String checkpointDir, List<Participant> participants, Scheduler scheduler,
                           Duration timeout, Clock clock, Listener listener) {
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint needs at least one process");
        }
        this.generation = generation;
        this.checkpointDir = checkpointDir;
        participants.forEach(p -> this.participants.put(p.peer().id(), p));
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.clock = clock;
        this.listener = listener;
    }

    public long generation() {
        return generation;
    }

    public boolean finished() {
        return finished;
    }

    public boolean isParticipant(long peerId) {
        return participants.containsKey(peerId);
    }

    public List<Participant> participants() {
        return List.copyOf(participants.values());
    }

    public void start() {
        startedMillis = clock.millis();
        // computation_size is per computation: a restart counts the processes of one computation, and
        // several computations (several launches) may share a coordinator and a checkpoint
        Map<String, Long> sizes = new HashMap<>();
        participants.values().forEach(p -> sizes.merge(p.process().computationId(), 1L, Long::sum));
        for (Participant p : participants.values()) {
            p.peer().send(new Checkpoint(generation, checkpointDir, sizes.get(p.process().computationId())));
        }
        armTimer();
    }

    /** Returns false when the barrier is not part of this round (another generation, or already released). */
    public boolean barrier(long peerId, String name, long barrierGeneration) {
        if (finished || barrierGeneration != generation || !participants.containsKey(peerId)
                || released.contains(name)) {
            return false;
        }
        Set<Long> here = arrived.computeIfAbsent(name, n -> new LinkedHashSet<>());
        here.add(peerId);
        pending = name;
        if (here.size() == participants.size()) {
            release(name);
        }
        return true;
    }

    public void result(long peerId, CkptResult result) {
        if (finished || result.generation() != generation || !participants.containsKey(peerId)) {
            return;
        }
        if (!result.ok()) {
            String why = result.message().isEmpty() ? "status " + result.status() : result.message();
            // the reporter gets ABORT too: it waits at its next barrier for the coordinator's answer
            abort(describe(peerId) + " failed: " + why, NOBODY);
            return;
        }
        results.put(peerId, result);
    }

    public void progress(long peerId, Progress report) {
        if (finished || report.generation() != generation || !participants.containsKey(peerId)) {
            return;
        }
        progress.put(peerId, report);
        armTimer();
        long done = 0;
        long total = 0;
        for (Progress p : progress.values()) {
            done += p.bytesDone();
            total += p.bytesTotal();
        }
        listener.progress(generation, done, total);
    }

    /** A participant disconnected or said BYE. */
    public void participantLeft(long peerId) {
        if (finished || !participants.containsKey(peerId)) {
            return;
        }
        abort(describe(peerId) + " disconnected during checkpoint " + generation, peerId);
    }

    /** Ends the round from outside (the coordinator quits). */
    public void cancel(String reason) {
        if (!finished) {
            abort(reason, NOBODY);
        }
    }

    private void release(String name) {
        released.add(name);
        lastReleased = name;
        pending = null;
        timer.cancel();
        boolean last = Protocol.CHECKPOINTED.equals(name);
        if (last) {
            List<String> silent = participants.keySet().stream()
                    .filter(id -> !results.containsKey(id)).map(this::describe).collect(Collectors.toList());
            if (!silent.isEmpty()) {
                abort("no image reported by " + String.join(", ", silent), NOBODY);
                return;
            }
        }
        for (Participant p : participants.values()) {
            p.peer().send(new Release(name, generation));
        }
        if (last) {
            finish(new CheckpointOutcome(generation, true, "", startedMillis, clock.millis() - startedMillis,
                    images()));
        } else {
            armTimer();
        }
    }

    private List<ImageInfo> images() {
        List<ImageInfo> images = new ArrayList<>();
        for (Participant p : participants.values()) {
            CkptResult r = results.get(p.peer().id());
            ProcessRecord proc = p.process();
            images.add(new ImageInfo(proc.host(), proc.program(), proc.pid(), proc.uniqueId(), r.imagePath(),
                    r.imageBytes(), r.memoryBytes(), r.durationMicros()));
        }
        return images;
    }

    private void armTimer() {
        timer.cancel();
        timer = scheduler.schedule(timeout, this::timedOut);
    }

    private void timedOut() {
        if (finished) {
            return;
        }
        String seconds = timeout.toSeconds() + " s";
        String reason;
        if (pending != null) {
            Set<Long> here = arrived.getOrDefault(pending, Set.of());
            List<String> missing = participants.keySet().stream()
                    .filter(id -> !here.contains(id)).limit(5).map(this::describe).collect(Collectors.toList());
            reason = "barrier " + pending + " timed out after " + seconds + ", waiting for " + String.join(", ", missing);
        } else if (lastReleased != null) {
            reason = "no process reached the barrier after " + lastReleased + " within " + seconds;
        } else {
            reason = "no process answered CHECKPOINT within " + seconds;
        }
        abort(reason, NOBODY);
    }

    /** Sends ABORT to every participant but {@code gone}, the one that disconnected (or {@link #NOBODY}). */
    private void abort(String reason, long gone) {
        finished = true;
        timer.cancel();
        for (Participant p : participants.values()) {
            if (p.peer().id() != gone) {
                p.peer().send(new Abort(generation, reason));
            }
        }
        listener.finished(CheckpointOutcome.failed(generation, reason, startedMillis, clock.millis() - startedMillis));
    }

    private void finish(CheckpointOutcome outcome) {
        finished = true;
        timer.cancel();
        listener.finished(outcome);
    }

    private String describe(long peerId) {
        return participants.get(peerId).process().describe();
    }
}
