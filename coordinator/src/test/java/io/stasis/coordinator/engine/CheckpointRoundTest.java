package io.stasis.coordinator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.protocol.Abort;
import io.stasis.coordinator.protocol.Checkpoint;
import io.stasis.coordinator.protocol.CkptResult;
import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.protocol.Release;
import io.stasis.coordinator.testing.FakePeer;
import io.stasis.coordinator.testing.ManualScheduler;
import io.stasis.coordinator.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private CheckpointRound round;

    @BeforeEach
    void start() {
        round = new CheckpointRound(GEN, "/ckpt", List.of(participant(a, 101), participant(b, 102), participant(c, 103)),
                scheduler, TIMEOUT, new TestClock(scheduler), new CheckpointRound.Listener() {
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

    private void reachAll(String barrier) {
        round.barrier(1, barrier, GEN);
        round.barrier(2, barrier, GEN);
        round.barrier(3, barrier, GEN);
    }

    private static CkptResult result(int n, int status) {
        return new CkptResult(GEN, status, "/ckpt/ckpt_p" + n + ".stasis", 2000, 8000, 1000, "");
    }

    private static CheckpointRound.Participant participant(FakePeer peer, long pid) {
        return new CheckpointRound.Participant(peer, new ProcessRecord(peer.id(), "u-" + pid, pid, pid, "node",
                "p" + peer.id(), ProcessState.CHECKPOINTING, 0, "comp", 3));
    }
}
