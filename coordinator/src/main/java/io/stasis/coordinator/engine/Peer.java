package io.stasis.coordinator.engine;

import io.stasis.coordinator.protocol.Message;

/** One authenticated connection, as the engine sees it: something to send frames to. */
public interface Peer {

    /** Connection number, unique for the life of the coordinator. */
    long id();

    /** Remote address, for log lines. */
    String address();

    /** Whether the other end is on this machine (a loopback address). */
    default boolean onThisMachine() {
        return false;
    }

    void send(Message message);

    /** Closes the connection after what was sent so far has been flushed. */
    void close();
}
