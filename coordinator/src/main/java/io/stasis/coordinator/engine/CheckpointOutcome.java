package io.stasis.coordinator.engine;

import io.stasis.coordinator.report.ByteSizes;
import java.util.List;
import java.util.Locale;

/**
 * How one checkpoint generation ended. {@code images} is empty unless it succeeded; {@code note} says what
 * else happened (e.g. a process that exited right after its image was written), or is empty.
 */
public record CheckpointOutcome(long generation, boolean ok, String reason, long startedMillis, long durationMillis,
                                List<ImageInfo> images, String note) {

    public CheckpointOutcome {
        images = List.copyOf(images);
    }

    public CheckpointOutcome(long generation, boolean ok, String reason, long startedMillis, long durationMillis,
                             List<ImageInfo> images) {
        this(generation, ok, reason, startedMillis, durationMillis, images, "");
    }

    public static CheckpointOutcome failed(long generation, String reason, long startedMillis, long durationMillis) {
        return new CheckpointOutcome(generation, false, reason, startedMillis, durationMillis, List.of());
    }

    public long totalBytes() {
        return images.stream().mapToLong(ImageInfo::imageBytes).sum();
    }

    /** One line for the blocking checkpoint's COMMAND_RESULT and the log. */
    public String summary() {
        if (!ok) {
            return "checkpoint " + generation + " failed: " + reason;
        }
        int n = images.size();
        return String.format(Locale.ROOT, "checkpoint %d: %d %s, %s in %.1f s", generation, n,
                n == 1 ? "process" : "processes", ByteSizes.human(totalBytes()), durationMillis / 1000.0)
                + (note.isEmpty() ? "" : " (" + note + ")");
    }
}
