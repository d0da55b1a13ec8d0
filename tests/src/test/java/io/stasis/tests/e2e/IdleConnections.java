package io.stasis.tests.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A local user without the secret who keeps {@code count} connections to the coordinator open and never
 * authenticates: each is replaced by a new one after {@code lifetime} (shorter than the coordinator's deadline),
 * a few at a time, so that the coordinator's table of unauthenticated connections is always full. Bounded: at
 * most {@code count} sockets, at most {@link #PER_TICK} new ones every {@link #TICK}.
 */
final class IdleConnections implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(5);
    static final int PER_TICK = 5;

    private record Held(Socket socket, long openedNanos) {
    }

    private final InetSocketAddress coordinator;
    private final int count;
    private final long lifetimeNanos;
    private final Deque<Held> held = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long opened;
    private volatile IOException failure;

    IdleConnections(String host, int port, int count, Duration lifetime) {
        this.coordinator = new InetSocketAddress(host, port);
        this.count = count;
        this.lifetimeNanos = lifetime.toNanos();
        this.thread = new Thread(this::run, "idle-connections");
        thread.setDaemon(true);
        thread.start();
    }

    /** Connections opened so far. */
    long opened() {
        return opened;
    }

    /** Waits until {@code count} are open at once (the table is full), at most {@code timeout}. */
    void awaitFull(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (opened < count) {
            if (failure != null || System.nanoTime() > deadline) {
                throw new AssertionError("only " + opened + " of " + count + " idle connections opened", failure);
            }
            Thread.sleep(TICK.toMillis());
        }
    }

    private void run() {
        try {
            while (!stopping) {
                long now = System.nanoTime();
                while (!held.isEmpty() && now - held.peekFirst().openedNanos() > lifetimeNanos) {
                    held.pollFirst().socket().close();
                }
                for (int i = 0; i < PER_TICK && held.size() < count; i++) {
                    Socket socket = new Socket();
                    socket.connect(coordinator, 5000);
                    held.addLast(new Held(socket, System.nanoTime()));
                    opened++;
                }
                Thread.sleep(TICK.toMillis());
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            held.forEach(h -> {
                try {
                    h.socket().close();
                } catch (IOException ignored) {
                    // closing a socket the test no longer needs
                }
            });
        }
    }

    /** Stops and closes every connection; rethrows a failure to connect. */
    @Override
    public void close() throws Exception {
        stopping = true;
        thread.join(Duration.ofSeconds(10).toMillis());
        if (failure != null) {
            throw failure;
        }
    }
}
