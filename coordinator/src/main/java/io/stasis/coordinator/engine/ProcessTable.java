package io.stasis.coordinator.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The registered processes, by connection, in registration order. */
final class ProcessTable {

    record Entry(Peer peer, ProcessRecord process) {
    }

    private final Map<Long, Entry> byPeer = new LinkedHashMap<>();

    void add(Peer peer, ProcessRecord process) {
        byPeer.put(peer.id(), new Entry(peer, process));
    }

    Optional<Entry> get(long peerId) {
        return Optional.ofNullable(byPeer.get(peerId));
    }

    /** The registered process with this unique id, whichever connection it came on. */
    Optional<Entry> byUniqueId(String uniqueId) {
        return byPeer.values().stream().filter(e -> e.process().uniqueId().equals(uniqueId)).findFirst();
    }

    boolean contains(long peerId) {
        return byPeer.containsKey(peerId);
    }

    void update(long peerId, UnaryOperator<ProcessRecord> change) {
        byPeer.computeIfPresent(peerId, (id, e) -> new Entry(e.peer(), change.apply(e.process())));
    }

    Optional<Entry> remove(long peerId) {
        return Optional.ofNullable(byPeer.remove(peerId));
    }

    List<Entry> entries() {
        return List.copyOf(byPeer.values());
    }

    List<Entry> inState(ProcessState state) {
        List<Entry> result = new ArrayList<>();
        for (Entry e : byPeer.values()) {
            if (e.process().state() == state) {
                result.add(e);
            }
        }
        return result;
    }

    int size() {
        return byPeer.size();
    }

    boolean isEmpty() {
        return byPeer.isEmpty();
    }
}
