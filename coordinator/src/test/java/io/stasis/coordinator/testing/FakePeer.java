package io.stasis.coordinator.testing;

import io.stasis.coordinator.engine.Peer;
import io.stasis.coordinator.protocol.Message;
import java.util.ArrayList;
import java.util.List;

/** A peer that records what it was sent. */
public final class FakePeer implements Peer {

    private final long id;
    private final List<Message> sent = new ArrayList<>();
    private boolean closed;

    public FakePeer(long id) {
        this.id = id;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String address() {
        return "fake:" + id;
    }

    @Override
    public void send(Message message) {
        sent.add(message);
    }

    @Override
    public void close() {
        closed = true;
    }

    public List<Message> sent() {
        return List.copyOf(sent);
    }

    public <T extends Message> List<T> sent(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public Message last() {
        return sent.get(sent.size() - 1);
    }

    public void clear() {
        sent.clear();
    }

    public boolean closed() {
        return closed;
    }
}
