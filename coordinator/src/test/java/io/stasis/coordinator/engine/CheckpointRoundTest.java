package io.stasis.coordinator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.stasis.coordinator.protocol.Abort;
import io.stasis.coordinator.protocol.Checkpoint;
import io.stasis.coordinator.protocol.CkptResult;
import io.stasis.coordinator.protocol.Kill;
import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.protocol.Release;
import io.stasis.coordinator.testing.FakePeer;
import io.stasis.coordinator.testing.ManualScheduler;
import io.stasis.coordinator.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One checkpoint generation against fake participants: no Netty, no sockets, a virtual clock. */
class CheckpointRoundTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final long GEN = 4;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<CheckpointOutcome> outcomes = new ArrayList<>();
    private final List<Progress> progress = new ArrayList<>();
    private final FakePeer a = new FakePeer(1);
    private final FakePeer b = new FakePeer(2);
    private final FakePeer c = new FakePeer(3);
    /** A mock: what matters is which files the round asks to discard or complete, not the file system. */
    private final ImageFiles files = mock(ImageFiles.class);
    private CheckpointRound round;

    @BeforeEach
    void start() {
        round = new CheckpointRound(GEN, "/ckpt", List.of(participant(a, 101), participant(b, 102), participant(c, 103)),
                scheduler, TIMEOUT, new TestClock(scheduler), files, new CheckpointRound.Listener() {
                    @Override
                    public void progress(long generation, long done, long total) {
                        progress.add(new Progress(generation, done, total));
                    }

                    @Override
                    public void finished(CheckpointOutcome outcome) {
                        outcomes.add(outcome);
                    }
                });
        round.start();
    }

    @Test
    void sendsCheckpointToEveryParticipant() {
        for (FakePeer p : List.of(a, b, c)) {
            assertThat(p.sent()).containsExactly(new Checkpoint(GEN, "/ckpt", 3));
        }
    }

    @Test
    void aRoundToStopKillsItsProcessesInsteadOfResumingThem() {
        for (String barrier : List.of("SUSPENDED", "DRAINED", "WRITTEN")) {
            reachAll(barrier);
        }
        round.stopAtEnd(); // asked while it runs, as a signal does
        round.result(1, result(1, 0));
        round.result(2, result(2, 0));
        round.result(3, result(3, 0));
        reachAll("CHECKPOINTED");

        for (FakePeer p : List.of(a, b, c)) {
            assertThat(p.sent(Release.class)).extracting(Release::name)
                    .containsExactly("SUSPENDED", "DRAINED", "WRITTEN");
            assertThat(p.sent().get(p.sent().size() - 1)).isEqualTo(new Kill());
        }
        assertThat(outcomes).singleElement().matches(CheckpointOutcome::ok);
    }

    @Test
    void barrierIsReleasedOnlyWhenAllReachedIt() {
        round.barrier(1, "SUSPENDED", GEN);
        round.barrier(2, "SUSPENDED", GEN);
        assertThat(a.sent(Release.class)).isEmpty();
        round.barrier(3, "SUSPENDED", GEN);
        for (FakePeer p : List.of(a, b, c)) {
            assertThat(p.sent(Release.class)).containsExactly(new Release("SUSPENDED", GEN));
        }
    }

    @Test
    void fullCheckpointSucceedsWithEveryImage() {
        for (String barrier : List.of("SUSPENDED", "DRAINED", "sockets:DRAINED", "WRITTEN")) {
            reachAll(barrier);
        }
        scheduler.advance(Duration.ofMillis(1500));
        round.result(1, result(1, 0));
        round.result(2, result(2, 0));
        round.result(3, result(3, 0));
        reachAll("CHECKPOINTED");

        assertThat(a.sent(Release.class)).extracting(Release::name)
                .containsExactly("SUSPENDED", "DRAINED", "sockets:DRAINED", "WRITTEN", "CHECKPOINTED");
        assertThat(outcomes).hasSize(1);
        CheckpointOutcome outcome = outcomes.get(0);
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.durationMillis()).isEqualTo(1500);
        assertThat(outcome.images()).extracting(ImageInfo::path)
                .containsExactly("/ckpt/ckpt_p1.stasis", "/ckpt/ckpt_p2.stasis", "/ckpt/ckpt_p3.stasis");
        assertThat(outcome.totalBytes()).isEqualTo(6000);
        assertThat(outcome.summary()).isEqualTo("checkpoint 4: 3 processes, 5.9 KiB in 1.5 s");
        assertThat(round.finished()).isTrue();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void participantDisconnectingAbortsTheOthers() {
        reachAll("SUSPENDED");
        round.barrier(1, "DRAINED", GEN);
        round.participantLeft(2);

        String reason = "pid 102 (p2) disconnected during checkpoint 4";
        assertThat(a.sent(Abort.class)).containsExactly(new Abort(GEN, reason));
        assertThat(c.sent(Abort.class)).containsExactly(new Abort(GEN, reason));
        assertThat(b.sent(Abort.class)).isEmpty();
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.ok()).isFalse();
            assertThat(o.reason()).isEqualTo(reason);
        });
        // late messages of the aborted generation change nothing
        round.barrier(3, "DRAINED", GEN);
        assertThat(a.sent(Release.class)).hasSize(1);
        assertThat(outcomes).hasSize(1);
    }

    @Test
    void failedResultAbortsEveryone() {
        reachAll("SUSPENDED");
        reachAll("DRAINED");
        round.result(3, new CkptResult(GEN, 1, "", 0, 0, 0, "No space left on device"));
        Abort abort = new Abort(GEN, "pid 103 (p3) failed: No space left on device");
        assertThat(a.last()).isEqualTo(abort);
        // the failing process waits at its next barrier for this answer
        assertThat(c.last()).isEqualTo(abort);
        assertThat(outcomes).singleElement().extracting(CheckpointOutcome::ok).isEqualTo(false);
    }

    @Test
    void barrierTimeoutAbortsEveryone() {
        round.barrier(1, "SUSPENDED", GEN);
        round.barrier(3, "SUSPENDED", GEN);
        scheduler.advance(TIMEOUT.minusSeconds(1));
        assertThat(outcomes).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));

        String reason = "barrier SUSPENDED timed out after 120 s, waiting for pid 102 (p2)";
        for (FakePeer p : List.of(a, b, c)) {
            assertThat(p.last()).isEqualTo(new Abort(GEN, reason));
        }
        assertThat(outcomes).singleElement().extracting(CheckpointOutcome::reason).isEqualTo(reason);
    }

    @Test
    void silenceAfterCheckpointTimesOut() {
        scheduler.advance(TIMEOUT);
        assertThat(outcomes).singleElement().extracting(CheckpointOutcome::reason)
                .isEqualTo("no process answered CHECKPOINT within 120 s");
    }

    @Test
    void progressKeepsTheCheckpointAliveAndIsSummed() {
        reachAll("SUSPENDED");
        reachAll("DRAINED");
        scheduler.advance(Duration.ofSeconds(100));
        round.progress(1, new Progress(GEN, 10, 100));
        scheduler.advance(Duration.ofSeconds(100));
        round.progress(2, new Progress(GEN, 5, 50));
        round.progress(1, new Progress(GEN, 20, 100));
        scheduler.advance(Duration.ofSeconds(100));
        assertThat(outcomes).isEmpty();
        assertThat(progress).containsExactly(new Progress(GEN, 10, 100), new Progress(GEN, 15, 150),
                new Progress(GEN, 25, 150));
        scheduler.advance(Duration.ofSeconds(20));
        assertThat(outcomes).singleElement().extracting(CheckpointOutcome::reason)
                .isEqualTo("no process reached the barrier after DRAINED within 120 s");
    }

    @Test
    void checkpointedWithoutAResultAborts() {
        round.result(1, result(1, 0));
        round.result(2, result(2, 0));
        reachAll("CHECKPOINTED");
        assertThat(a.last()).isEqualTo(new Abort(GEN, "no image reported by pid 103 (p3)"));
        assertThat(outcomes).singleElement().extracting(CheckpointOutcome::ok).isEqualTo(false);
    }

    @Test
    void otherGenerationsAndStrangersAreIgnored() {
        assertThat(round.barrier(1, "SUSPENDED", GEN - 1)).isFalse();
        assertThat(round.barrier(99, "SUSPENDED", GEN)).isFalse();
        round.barrier(2, "SUSPENDED", GEN);
        round.barrier(3, "SUSPENDED", GEN);
        assertThat(a.sent(Release.class)).isEmpty();
    }

    @Test
    void participantVanishingBeforeTheCommitPointHasItsTemporaryImageDeleted() {
        reachAll("SUSPENDED");
        reachAll("DRAINED");
        round.barrier(1, "WRITTEN", GEN);
        round.participantLeft(2);

        verify(files).discardTemporary(record(b, 102), "/ckpt");
        verify(files, never()).completeCommit(any(), anyString());
        assertThat(outcomes).singleElement().extracting(CheckpointOutcome::ok).isEqualTo(false);
        assertThat(a.sent(Release.class)).extracting(Release::name).containsExactly("SUSPENDED", "DRAINED");
    }

    @Test
    void participantsStuckAtATimedOutBarrierHaveTheirTemporaryImagesDeleted() {
        reachAll("SUSPENDED");
        reachAll("DRAINED");
        round.barrier(1, "WRITTEN", GEN);
        scheduler.advance(TIMEOUT);

        verify(files).discardTemporary(record(b, 102), "/ckpt");
        verify(files).discardTemporary(record(c, 103), "/ckpt");
        verify(files, never()).discardTemporary(record(a, 101), "/ckpt");
        assertThat(outcomes).singleElement().extracting(CheckpointOutcome::ok).isEqualTo(false);
    }

    @Test
    void aFailureReportLeavesCleaningToTheProcesses() {
        reachAll("SUSPENDED");
        round.result(2, new CkptResult(GEN, 1, "", 0, 0, 0, "disk full"));
        verifyNoInteractions(files);
    }

    /** After RELEASE(WRITTEN) the others rename their images: the vanished one's is put in place for it. */
    @Test
    void participantVanishingAfterTheCommitPointStillCompletesTheGeneration() {
        for (String barrier : List.of("SUSPENDED", "DRAINED", "WRITTEN")) {
            reachAll(barrier);
        }
        ImageInfo completed = new ImageInfo("node", "p2", 102, "u-102", "/ckpt/ckpt_p2_u-102.stasis", 2500, 0, 0);
        when(files.completeCommit(record(b, 102), "/ckpt")).thenReturn(Optional.of(completed));
        round.result(1, result(1, 0));
        round.barrier(1, "CHECKPOINTED", GEN);
        round.participantLeft(2);
        assertThat(outcomes).isEmpty();
        round.result(3, result(3, 0));
        round.barrier(3, "CHECKPOINTED", GEN);

        assertThat(a.sent(Abort.class)).isEmpty();
        assertThat(c.last()).isEqualTo(new Release("CHECKPOINTED", GEN));
        assertThat(b.sent(Release.class)).extracting(Release::name).containsExactly("SUSPENDED", "DRAINED", "WRITTEN");
        CheckpointOutcome outcome = outcomes.get(0);
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.images()).extracting(ImageInfo::path)
                .containsExactly("/ckpt/ckpt_p1.stasis", "/ckpt/ckpt_p2_u-102.stasis", "/ckpt/ckpt_p3.stasis");
        assertThat(outcome.summary()).endsWith("(pid 102 (p2) exited after its image was written)");
        verify(files, never()).discardTemporary(any(), anyString());
    }

    @Test
    void vanishedParticipantWhoseImageCannotBeFoundFailsTheGeneration() {
        for (String barrier : List.of("SUSPENDED", "DRAINED", "WRITTEN")) {
            reachAll(barrier);
        }
        when(files.completeCommit(any(), anyString())).thenReturn(Optional.empty());
        round.participantLeft(3);
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.ok()).isFalse();
            assertThat(o.reason()).contains("pid 103 (p3) disconnected after its image was written");
        });
        assertThat(a.last()).isInstanceOf(Abort.class);
    }

    private void reachAll(String barrier) {
        round.barrier(1, barrier, GEN);
        round.barrier(2, barrier, GEN);
        round.barrier(3, barrier, GEN);
    }

    private static CkptResult result(int n, int status) {
        return new CkptResult(GEN, status, "/ckpt/ckpt_p" + n + ".stasis", 2000, 8000, 1000, "");
    }

    private static CheckpointRound.Participant participant(FakePeer peer, long pid) {
        return new CheckpointRound.Participant(peer, record(peer, pid));
    }

    private static ProcessRecord record(FakePeer peer, long pid) {
        return new ProcessRecord(peer.id(), "u-" + pid, pid, pid, "node", "p" + peer.id(),
                ProcessState.CHECKPOINTING, 0, "comp", 3, "/own");
    }
}
