package io.stasis.coordinator.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.stasis.coordinator.engine.Scheduler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The engine's timers, run on the event loop that runs everything else. */
public final class EventLoopScheduler implements Scheduler {

    private final EventExecutor loop;

    public EventLoopScheduler(EventExecutor loop) {
        this.loop = loop;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
