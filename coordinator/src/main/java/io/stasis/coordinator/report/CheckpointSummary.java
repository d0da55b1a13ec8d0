package io.stasis.coordinator.report;

import java.time.Instant;
import java.util.List;

/** The last successful checkpoint, as {@code COMMAND status} reports it. */
public record CheckpointSummary(long generation, Instant time, long durationMillis, long totalBytes,
                                List<String> images) {

    public CheckpointSummary {
        images = List.copyOf(images);
    }
}
