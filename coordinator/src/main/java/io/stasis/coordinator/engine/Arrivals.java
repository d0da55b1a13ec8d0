package io.stasis.coordinator.engine;

import io.stasis.coordinator.protocol.Register;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Processes on their way into the computation. A checkpoint taken while one of them is on its way would
 * miss it (DMTCP's "checkpointing too soon"), so the engine defers checkpoints until none is left:
 * <ul>
 * <li>a process connection that authenticated but did not register yet;</li>
 * <li>a pid a launcher announced just before it became the program ({@code COMMAND expect});</li>
 * <li>a process that said {@code BYE(exec)}: it registers again with the same unique id;</li>
 * <li>a restarted process not yet past {@code REFILLED}.</li>
 * </ul>
 * Each is waited for at most a limit, then forgotten: a process that never comes must not hold back
 * checkpoints forever. An exec'd or announced process found dead on this machine (a short program that
 * exited before it could register) is forgotten at once. Times are the engine clock's milliseconds.
 */
final class Arrivals {

    private record Key(String kind, String id) {
    }

    /** {@code pid} 0: nothing to look at, only the deadline ends the wait. */
    private record Waiting(String description, long deadlineMillis, String host, long pid) {

        Waiting(String description, long deadlineMillis) {
            this(description, deadlineMillis, "", 0);
        }
    }

    private final long limitMillis;
    private final long restartLimitMillis;
    private final Map<Key, Waiting> waiting = new LinkedHashMap<>();

    /**
     * @param limitMillis        how long to wait for a connection, an announced pid or an exec'd process
     * @param restartLimitMillis how long to wait for a restarted process (its restart barriers have their own timeout)
     */
    Arrivals(long limitMillis, long restartLimitMillis) {
        this.limitMillis = limitMillis;
        this.restartLimitMillis = restartLimitMillis;
    }

    void connected(long peerId, String address, long now) {
        waiting.put(connection(peerId), new Waiting("a process connecting from " + address, now + limitMillis));
    }

    /** @param local whether the launcher runs on this machine (so that its pid can be looked at) */
    void announced(long pid, boolean local, long now) {
        waiting.put(new Key("pid", Long.toString(pid)),
                new Waiting("pid " + pid + " (launched)", now + limitMillis, "", local ? pid : 0));
    }

    void execing(ProcessRecord process, long now) {
        waiting.put(new Key("exec", process.uniqueId()), new Waiting(process.describe() + " (exec)",
                now + limitMillis, process.host(), process.realPid()));
    }

    void registered(long peerId, Register r, ProcessRecord process, long now) {
        waiting.remove(connection(peerId));
        waiting.remove(new Key("exec", r.uniqueId()));
        waiting.remove(new Key("pid", Long.toString(r.realPid())));
        if (r.restarting()) {
            waiting.put(restarting(peerId), new Waiting(process.describe() + " (restarting)", now + restartLimitMillis));
        }
    }

    void refilled(long peerId) {
        waiting.remove(restarting(peerId));
    }

    void left(long peerId) {
        waiting.remove(connection(peerId));
        waiting.remove(restarting(peerId));
    }

    /** Forgets whoever is overdue at {@code now}; returns their descriptions. */
    List<String> expire(long now) {
        List<String> overdue = new ArrayList<>();
        waiting.values().removeIf(w -> {
            boolean late = w.deadlineMillis() <= now;
            if (late) {
                overdue.add(w.description());
            }
            return late;
        });
        return overdue;
    }

    /** Forgets whoever {@code probe} finds dead; returns their descriptions. */
    List<String> forgetGone(ProcessProbe probe) {
        List<String> gone = new ArrayList<>();
        waiting.values().removeIf(w -> {
            boolean dead = w.pid() > 0 && probe.isGone(w.host(), w.pid());
            if (dead) {
                gone.add(w.description());
            }
            return dead;
        });
        return gone;
    }

    /** Whether some entry can end sooner than its deadline (a pid to look at). */
    boolean anyProbeable() {
        return waiting.values().stream().anyMatch(w -> w.pid() > 0);
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    Optional<Long> nextDeadline() {
        return waiting.values().stream().map(Waiting::deadlineMillis).min(Long::compare);
    }

    /** {@code pid 42 (launched), pid 7 (a.out) (exec)}: at most five, for messages. */
    String describe() {
        List<String> all = waiting.values().stream().map(Waiting::description).toList();
        String shown = String.join(", ", all.subList(0, Math.min(5, all.size())));
        return all.size() > 5 ? shown + " and " + (all.size() - 5) + " more" : shown;
    }

    private static Key connection(long peerId) {
        return new Key("connection", Long.toString(peerId));
    }

    private static Key restarting(long peerId) {
        return new Key("restarting", Long.toString(peerId));
    }
}
