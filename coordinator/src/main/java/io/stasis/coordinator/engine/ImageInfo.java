package io.stasis.coordinator.engine;

/** One image a process reported in CKPT_RESULT. */
public record ImageInfo(String host, String program, long pid, String uniqueId, String path, long imageBytes,
                        long memoryBytes, long durationMicros) {
}
