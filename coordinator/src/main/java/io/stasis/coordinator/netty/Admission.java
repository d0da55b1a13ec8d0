package io.stasis.coordinator.netty;

import io.netty.channel.Channel;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The connections that have not authenticated yet, oldest first. Each may take
 * {@link CoordinatorInitializer#AUTH_TIME_LIMIT} to prove it knows the secret; when {@code limit} are waiting, a
 * new one pushes out the oldest, so that a local user without the secret who holds connections open can never
 * keep a real client out: a real one authenticates within a round trip, long before it becomes the oldest.
 * Authenticated connections never count.
 */
public final class Admission {

    /** Far above what launching hundreds of processes at once needs: they authenticate in a millisecond. */
    public static final int DEFAULT_LIMIT = 256;

    private final int limit;
    private final Set<Channel> waiting = new LinkedHashSet<>();

    public Admission(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("an admission needs room for one connection");
        }
        this.limit = limit;
    }

    /** A new connection; then {@link #leave} once it authenticated or closed. Returns the one to close to make room. */
    synchronized Optional<Channel> enter(Channel channel) {
        Optional<Channel> oldest = Optional.empty();
        if (waiting.size() >= limit) {
            Iterator<Channel> first = waiting.iterator();
            oldest = Optional.of(first.next());
            first.remove();
        }
        waiting.add(channel);
        return oldest;
    }

    /** The connection authenticated or closed; nothing if it was pushed out already. */
    synchronized void leave(Channel channel) {
        waiting.remove(channel);
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
