package io.stasis.coordinator.engine;

import java.time.Duration;

/**
 * Runs a task later on the engine's own thread; the engine is single-threaded, so its timers must not
 * fire anywhere else. Tests drive it by hand.
 */
public interface Scheduler {

    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that has not run yet can be cancelled; cancelling later is harmless. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
