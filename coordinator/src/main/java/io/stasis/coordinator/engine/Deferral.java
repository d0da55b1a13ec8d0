package io.stasis.coordinator.engine;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;

/**
 * A checkpoint asked for while processes are on their way in ({@link Arrivals}): it waits until none is
 * left, looking every few milliseconds whether an awaited process died meanwhile, and at most
 * {@code limit} in all, so that processes that keep coming (a busy make) cannot starve checkpoints.
 */
final class Deferral {

    /** How often to look whether an awaited process died. */
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(20);
    private static final Scheduler.Cancellable NOTHING = () -> { };

    private final System.Logger log = System.getLogger(Deferral.class.getName());
    private final Arrivals arrivals;
    private final ProcessProbe probe;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Duration limit;
    private boolean waiting;
    private long since;
    private Scheduler.Cancellable timer = NOTHING;

    Deferral(Arrivals arrivals, ProcessProbe probe, Scheduler scheduler, Clock clock, Duration limit) {
        this.arrivals = arrivals;
        this.probe = probe;
        this.scheduler = scheduler;
        this.clock = clock;
        this.limit = limit;
    }

    /** Whether a checkpoint waits. */
    boolean waiting() {
        return waiting;
    }

    /** Whom it waits for, for messages. */
    String waitingFor() {
        return arrivals.describe();
    }

    /**
     * A checkpoint is asked for: true when it must wait (then {@code wakeUp} runs when it may be over),
     * false when it can start now.
     */
    boolean defer(Runnable wakeUp) {
        forgetWhoWillNotCome();
        if (arrivals.isEmpty()) {
            return false;
        }
        if (!waiting) {
            waiting = true;
            since = clock.millis();
            log.log(Level.DEBUG, () -> "checkpoint deferred: waiting for " + arrivals.describe());
        }
        arm(wakeUp);
        return true;
    }

    /**
     * Whether the waiting checkpoint may start now (nobody is on the way any more, or it waited long enough);
     * if not, {@code wakeUp} runs at the next occasion. Once true, the deferral is over.
     */
    boolean mayStart(Runnable wakeUp) {
        forgetWhoWillNotCome();
        boolean waitedEnough = clock.millis() - since >= limit.toMillis();
        if (!arrivals.isEmpty() && !waitedEnough) {
            arm(wakeUp);
            return false;
        }
        if (!arrivals.isEmpty()) {
            log.log(Level.WARNING, "checkpoint deferred for " + limit.toSeconds() + " s; taking it without "
                    + arrivals.describe());
        }
        cancel();
        return true;
    }

    /** No checkpoint waits any more. */
    void cancel() {
        timer.cancel();
        timer = NOTHING;
        waiting = false;
    }

    /** Wakes up at the next deadline, at the end of the deferral, or soon to look at processes. */
    private void arm(Runnable wakeUp) {
        timer.cancel();
        long now = clock.millis();
        long at = Math.min(arrivals.nextDeadline().orElse(Long.MAX_VALUE), since + limit.toMillis());
        if (arrivals.anyProbeable()) {
            at = Math.min(at, now + PROBE_INTERVAL.toMillis());
        }
        timer = scheduler.schedule(Duration.ofMillis(Math.max(0, at - now)), wakeUp);
    }

    private void forgetWhoWillNotCome() {
        for (String late : arrivals.expire(clock.millis())) {
            log.log(Level.WARNING, "stopped waiting for " + late + " after " + limit.toSeconds()
                    + " s; checkpoints go on without it");
        }
        for (String gone : arrivals.forgetGone(probe)) {
            log.log(Level.DEBUG, () -> "no longer waiting for " + gone + ": it exited");
        }
    }
}
