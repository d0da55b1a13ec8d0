package io.stasis.coordinator.netty;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the connections that have not authenticated yet: each may take {@link CoordinatorInitializer#AUTH_TIME_LIMIT}
 * to prove it knows the secret, so without a cap a local user without the secret could hold any number of them
 * open. Past the cap new connections are closed at once; authenticated ones never count.
 */
public final class Admission {

    /** Far above what launching hundreds of processes at once needs: they authenticate in a millisecond. */
    public static final int DEFAULT_LIMIT = 256;

    private final int limit;
    private final AtomicInteger waiting = new AtomicInteger();

    public Admission(int limit) {
        this.limit = limit;
    }

    /** A new connection: true if it may try to authenticate; then {@link #leave()} exactly once. */
    boolean tryEnter() {
        if (waiting.incrementAndGet() > limit) {
            waiting.decrementAndGet();
            return false;
        }
        return true;
    }

    /** The connection authenticated or closed. */
    void leave() {
        waiting.decrementAndGet();
    }

    int waiting() {
        return waiting.get();
    }
}
