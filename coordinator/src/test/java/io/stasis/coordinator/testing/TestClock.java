package io.stasis.coordinator.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that reads the virtual time of a {@link ManualScheduler}, from a fixed epoch. */
public final class TestClock extends Clock {

    public static final Instant EPOCH = Instant.parse("2025-01-01T12:00:00Z");

    private final ManualScheduler scheduler;

    public TestClock(ManualScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return EPOCH.plusNanos(scheduler.nanos());
    }
}
