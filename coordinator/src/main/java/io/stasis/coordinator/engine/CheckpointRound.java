package io.stasis.coordinator.engine;

import io.stasis.coordinator.protocol.Abort;
import io.stasis.coordinator.protocol.Checkpoint;
import io.stasis.coordinator.protocol.CkptResult;
import io.stasis.coordinator.protocol.Kill;
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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One checkpoint generation: the participants are fixed when it starts; every barrier, whatever its name,
 * is released once all of them reached it; {@code CHECKPOINTED} ends it.
 *
 * <p>Until {@code WRITTEN} is released a participant that leaves or fails, or a barrier that waits longer
 * than the timeout, aborts the round for everyone else, and the temporary image of a participant that
 * cannot clean up any more is deleted: the previous generation stays the valid one. The release of
 * {@code WRITTEN} is the commit point: every image is complete and fsynced and the processes rename theirs
 * into place. A participant that vanishes after it no longer aborts anything (the others may have renamed
 * theirs already): its image is put in place for it, and the generation completes.
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
    /** Participants still connected; after the commit point one that leaves is dropped from here. */
    private final Set<Long> active = new LinkedHashSet<>();
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Clock clock;
    private final ImageFiles files;
    private final Listener listener;

    private final Map<String, Set<Long>> arrived = new LinkedHashMap<>();
    private final Set<String> released = new HashSet<>();
    private final Map<Long, CkptResult> results = new HashMap<>();
    private final Map<Long, ImageInfo> completedForDeparted = new HashMap<>();
    private final Map<Long, Progress> progress = new HashMap<>();
    private String lastReleased;
    private String pending;
    private boolean committed;
    private Scheduler.Cancellable timer = () -> { };
    private long startedMillis;
    private boolean finished;
    /** Kill the participants at the end instead of releasing CHECKPOINTED (eviction). */
    private boolean stopAtEnd;

    public CheckpointRound(long generation, String checkpointDir, List<Participant> participants, Scheduler scheduler,
                           Duration timeout, Clock clock, ImageFiles files, Listener listener) {
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint needs at least one process");
        }
        this.generation = generation;
        this.checkpointDir = checkpointDir;
        participants.forEach(p -> this.participants.put(p.peer().id(), p));
        this.active.addAll(this.participants.keySet());
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.clock = clock;
        this.files = files;
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

    /**
     * At the end, the participants get KILL instead of the release of {@code CHECKPOINTED}: they die still
     * frozen, having run nothing past their images. Takes effect if asked before that release.
     */
    public void stopAtEnd() {
        stopAtEnd = true;
    }

    /** Returns false when the barrier is not part of this round (another generation, or already released). */
    public boolean barrier(long peerId, String name, long barrierGeneration) {
        if (finished || barrierGeneration != generation || !active.contains(peerId) || released.contains(name)) {
            return false;
        }
        arrived.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(peerId);
        pending = name;
        if (everyoneAt(name)) {
            release(name);
        }
        return true;
    }

    public void result(long peerId, CkptResult result) {
        if (finished || result.generation() != generation || !active.contains(peerId)) {
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
        if (finished || report.generation() != generation || !active.contains(peerId)) {
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
        if (finished || !active.contains(peerId)) {
            return;
        }
        ProcessRecord process = participants.get(peerId).process();
        if (!committed) {
            files.discardTemporary(process, checkpointDir);
            abort(describe(peerId) + " disconnected during checkpoint " + generation, peerId);
            return;
        }
        active.remove(peerId);
        if (!results.containsKey(peerId)) {
            Optional<ImageInfo> image = files.completeCommit(process, checkpointDir);
            if (image.isEmpty()) {
                abort(describe(peerId) + " disconnected after its image was written, and the image cannot be "
                        + "found from the coordinator: generation " + generation + " may be incomplete", peerId);
                return;
            }
            completedForDeparted.put(peerId, image.get());
        }
        if (active.isEmpty()) {
            succeed();
        } else if (pending != null && everyoneAt(pending)) {
            release(pending);
        }
    }

    /**
     * A participant said BYE(exit): libstasis does not checkpoint a process that said it (it holds its exit
     * until a checkpoint under way is over, so it has joined no barrier yet). Alone in its computation it is
     * simply counted out. Otherwise the round is aborted, because every image of its computation records
     * how many processes it has; the engine takes the checkpoint again without it. One that did join a
     * barrier counts as vanished ({@link #participantLeft}).
     */
    public void participantExited(long peerId) {
        if (finished || !active.contains(peerId)) {
            return;
        }
        if (committed || hasJoined(peerId)) {
            participantLeft(peerId);
            return;
        }
        String computation = participants.get(peerId).process().computationId();
        boolean shared = active.stream().anyMatch(id -> id != peerId
                && participants.get(id).process().computationId().equals(computation));
        if (shared || active.size() == 1) {
            abort(describe(peerId) + " exited before checkpoint " + generation + " reached it", peerId);
            return;
        }
        active.remove(peerId);
        participants.remove(peerId);
        if (pending != null && everyoneAt(pending)) {
            release(pending);
        }
    }

    /**
     * A process registered after the round started. One of a participant's computation is a child that its
     * parent forked or spawned while the CHECKPOINT was on its way: libstasis holds the parent's checkpoint
     * until such a child registered, so the parent's image lists it as a running child, and without an image
     * of its own the child would be missing after restart (its parent's wait for it fails). The round is
     * aborted, to be taken again with it. It cannot come after the commit point: its parent has not reached
     * the first barrier before it registered. One of another computation waits for the next checkpoint.
     */
    public void processArrived(ProcessRecord process) {
        if (finished || committed) {
            return;
        }
        boolean ours = participants.values().stream()
                .anyMatch(p -> p.process().computationId().equals(process.computationId()));
        if (ours) {
            abort(process.describe() + " of the computation started during checkpoint " + generation, NOBODY);
        }
    }

    /** Whether the participant reached a barrier or reported anything: then it is taking part. */
    public boolean hasJoined(long peerId) {
        return arrived.values().stream().anyMatch(here -> here.contains(peerId)) || results.containsKey(peerId)
                || progress.containsKey(peerId);
    }

    /** Ends the round from outside (the coordinator quits). */
    public void cancel(String reason) {
        if (!finished) {
            abort(reason, NOBODY);
        }
    }

    private boolean everyoneAt(String name) {
        return arrived.getOrDefault(name, Set.of()).containsAll(active);
    }

    private void release(String name) {
        released.add(name);
        lastReleased = name;
        pending = null;
        timer.cancel();
        boolean last = Protocol.CHECKPOINTED.equals(name);
        if (last) {
            List<String> silent = active.stream()
                    .filter(id -> !results.containsKey(id)).map(this::describe).collect(Collectors.toList());
            if (!silent.isEmpty()) {
                abort("no image reported by " + String.join(", ", silent), NOBODY);
                return;
            }
        }
        if (Protocol.WRITTEN.equals(name)) {
            committed = true;
        }
        for (long id : active) {
            participants.get(id).peer().send(last && stopAtEnd ? new Kill() : new Release(name, generation));
        }
        if (last) {
            succeed();
        } else {
            armTimer();
        }
    }

    private void succeed() {
        List<ImageInfo> images = new ArrayList<>();
        List<String> departed = new ArrayList<>();
        for (Participant p : participants.values()) {
            long id = p.peer().id();
            CkptResult r = results.get(id);
            if (r != null) {
                ProcessRecord proc = p.process();
                images.add(new ImageInfo(proc.host(), proc.program(), proc.pid(), proc.uniqueId(), r.imagePath(),
                        r.imageBytes(), r.memoryBytes(), r.durationMicros()));
            } else {
                images.add(completedForDeparted.get(id));
            }
            if (!active.contains(id)) {
                departed.add(describe(id));
            }
        }
        String note = departed.isEmpty() ? "" : String.join(", ", departed)
                + (departed.size() == 1 ? " exited after its image was written" : " exited after their images were written");
        finished = true;
        timer.cancel();
        listener.finished(new CheckpointOutcome(generation, true, "", startedMillis, clock.millis() - startedMillis,
                images, note));
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
        Set<Long> here = pending != null ? arrived.getOrDefault(pending, Set.of()) : Set.of();
        List<Long> missing = active.stream().filter(id -> !here.contains(id)).toList();
        String reason;
        if (pending != null) {
            reason = "barrier " + pending + " timed out after " + seconds + ", waiting for "
                    + missing.stream().limit(5).map(this::describe).collect(Collectors.joining(", "));
        } else if (lastReleased != null) {
            reason = "no process reached the barrier after " + lastReleased + " within " + seconds;
        } else {
            reason = "no process answered CHECKPOINT within " + seconds;
        }
        if (!committed) {
            // a process stuck for this long may never clean up after itself
            missing.forEach(id -> files.discardTemporary(participants.get(id).process(), checkpointDir));
        }
        abort(reason, NOBODY);
    }

    /** Sends ABORT to every participant still there but {@code gone}, the one that disconnected (or {@link #NOBODY}). */
    private void abort(String reason, long gone) {
        finished = true;
        timer.cancel();
        for (long id : active) {
            if (id != gone) {
                participants.get(id).peer().send(new Abort(generation, reason));
            }
        }
        listener.finished(CheckpointOutcome.failed(generation, reason, startedMillis, clock.millis() - startedMillis));
    }

    private String describe(long peerId) {
        return participants.get(peerId).process().describe();
    }
}
