package io.stasis.coordinator.testing;

import io.stasis.coordinator.engine.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler with a virtual clock that only moves when the test says so. */
public final class ManualScheduler implements Scheduler {

    private final class Task {
        final long due;
        final long order;
        final Runnable run;
        boolean cancelled;

        Task(long due, long order, Runnable run) {
            this.due = due;
            this.order = order;
            this.run = run;
        }
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long order;

    @Override
    public Cancellable schedule(Duration delay, Runnable run) {
        Task t = new Task(now + delay.toNanos(), order++, run);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves the clock, running every task that falls due, in order. */
    public void advance(Duration by) {
        long until = now + by.toNanos();
        while (true) {
            Task next = tasks.stream().filter(t -> !t.cancelled && t.due <= until)
                    .min(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.order)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = Math.max(now, next.due);
            next.run.run();
        }
        now = until;
        tasks.removeIf(t -> t.cancelled);
    }

    public long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    public long nanos() {
        return now;
    }
}
