package io.stasis.coordinator.engine;

import io.stasis.coordinator.protocol.Abort;
import io.stasis.coordinator.protocol.Protocol;
import io.stasis.coordinator.protocol.Release;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Barriers of restarted processes. They are counted per computation, not per connected set: a barrier is
 * released once {@code computation_size} processes of the computation reached it, because at restart the
 * coordinator cannot know who else is still on its way. A barrier that does not fill within the timeout
 * is aborted for those waiting, so a restart never hangs.
 */
final class RestartBarriers {

    private final Scheduler scheduler;
    private final Duration timeout;
    /** Told the ids of the processes that passed REFILLED: they run normally from now on. */
    private final Consumer<List<Long>> refilled;
    private final Map<String, Group> groups = new HashMap<>();

    RestartBarriers(Scheduler scheduler, Duration timeout, Consumer<List<Long>> refilled) {
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.refilled = refilled;
    }

    void join(Peer peer, ProcessRecord process) {
        groups.computeIfAbsent(process.computationId(), id -> new Group(id, process.computationSize()))
                .members.put(peer.id(), peer);
    }

    void barrier(Peer peer, ProcessRecord process, String name, long generation) {
        Group group = groups.get(process.computationId());
        if (group != null && group.members.containsKey(peer.id())) {
            group.arrive(peer, name, generation);
        }
    }

    void left(long peerId) {
        groups.values().forEach(g -> g.members.remove(peerId));
        groups.values().removeIf(Group::done);
    }

    private final class Group {
        final String computationId;
        final long size;
        final Map<Long, Peer> members = new LinkedHashMap<>();
        final Map<String, Map<Long, Long>> arrived = new HashMap<>();
        final Set<String> released = new HashSet<>();
        final Set<String> failed = new HashSet<>();
        final Map<String, Scheduler.Cancellable> timers = new HashMap<>();

        Group(String computationId, long size) {
            this.computationId = computationId;
            this.size = Math.max(1, size);
        }

        void arrive(Peer peer, String name, long generation) {
            if (released.contains(name)) {
                // counted in an earlier release (computation_size reached without it): let it through
                peer.send(new Release(name, generation));
                passed(name, List.of(peer.id()));
                return;
            }
            if (failed.contains(name)) {
                peer.send(new Abort(generation, "restart barrier " + name + " already timed out"));
                return;
            }
            Map<Long, Long> here = arrived.computeIfAbsent(name, n -> new LinkedHashMap<>());
            here.put(peer.id(), generation);
            if (here.size() >= size) {
                release(name, here);
            } else if (here.size() == 1) {
                timers.put(name, scheduler.schedule(timeout, () -> timedOut(name)));
            }
        }

        private void release(String name, Map<Long, Long> here) {
            released.add(name);
            timers.getOrDefault(name, () -> { }).cancel();
            here.forEach((id, gen) -> {
                Peer p = members.get(id);
                if (p != null) {
                    p.send(new Release(name, gen));
                }
            });
            passed(name, List.copyOf(here.keySet()));
            arrived.remove(name);
        }

        private void passed(String name, List<Long> ids) {
            if (Protocol.REFILLED.equals(name)) {
                ids.forEach(members::remove);
                refilled.accept(ids);
                groups.values().removeIf(Group::done);
            }
        }

        private void timedOut(String name) {
            Map<Long, Long> here = arrived.remove(name);
            if (here == null || released.contains(name)) {
                return;
            }
            failed.add(name);
            String reason = "restart barrier " + name + " timed out after " + timeout.toSeconds() + " s: "
                    + here.size() + " of " + size + " processes of computation " + computationId + " arrived";
            here.forEach((id, gen) -> {
                Peer p = members.get(id);
                if (p != null) {
                    p.send(new Abort(gen, reason));
                }
            });
        }

        boolean done() {
            return members.isEmpty();
        }
    }
}
