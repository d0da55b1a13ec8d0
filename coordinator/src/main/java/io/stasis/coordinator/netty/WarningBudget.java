package io.stasis.coordinator.netty;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.LongSupplier;

/**
 * At most {@code perWindow} warnings about bad connections per window; the rest are counted and summed up in
 * one line when the next window opens, so that a flood of garbage cannot fill the disk with the log.
 */
public final class WarningBudget {

    private final int perWindow;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private long windowStart;
    private int used;
    private long suppressed;

    public WarningBudget(int perWindow, long windowNanos, LongSupplier nanoClock) {
        this.perWindow = perWindow;
        this.windowNanos = windowNanos;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    /** 200 a minute. */
    public static WarningBudget standard() {
        return new WarningBudget(200, 60_000_000_000L, System::nanoTime);
    }

    /** Logs the message if the budget allows it. */
    public synchronized void warn(Logger log, String message) {
        long now = nanoClock.getAsLong();
        if (now - windowStart >= windowNanos) {
            if (suppressed > 0) {
                log.log(Level.WARNING, suppressed + " more warnings about bad connections were not logged");
            }
            windowStart = now;
            used = 0;
            suppressed = 0;
        }
        if (used < perWindow) {
            used++;
            log.log(Level.WARNING, message);
        } else {
            suppressed++;
        }
    }
}
