package io.stasis.coordinator.report;

import java.time.Instant;

/** The last checkpoint that failed or was aborted, and why. */
public record FailureSummary(long generation, Instant time, String reason) {
}
