package io.stasis.coordinator.report;

import io.stasis.api.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to {@code COMMAND status}, as JSON:
 * <pre>
 * {"host":"127.0.0.1","port":7779,"processes":2,"generation":3,"checkpointRunning":false,"interval":0,
 *  "lastCheckpoint":{"generation":3,"time":"2025-01-01T12:00:00Z","durationMs":1234,"totalBytes":5678,
 *                    "images":["/home/u/ckpt_a_1-2-3.stasis"]},
 *  "lastFailure":null,"checkpointDeferred":null}
 * </pre>
 * {@code lastCheckpoint} and {@code lastFailure} are null until there is one; {@code checkpointDeferred}
 * says whom a requested checkpoint waits for (processes on their way in), null when none waits.
 */
public record StatusReport(String host, int port, int processes, long generation, boolean checkpointRunning,
                           long intervalSeconds, Optional<CheckpointSummary> lastCheckpoint,
                           Optional<FailureSummary> lastFailure, Optional<String> checkpointDeferred) {

    /** No checkpoint deferred. */
    public StatusReport(String host, int port, int processes, long generation, boolean checkpointRunning,
                        long intervalSeconds, Optional<CheckpointSummary> lastCheckpoint,
                        Optional<FailureSummary> lastFailure) {
        this(host, port, processes, generation, checkpointRunning, intervalSeconds, lastCheckpoint, lastFailure,
                Optional.empty());
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", port);
        m.put("processes", processes);
        m.put("generation", generation);
        m.put("checkpointRunning", checkpointRunning);
        m.put("interval", intervalSeconds);
        m.put("lastCheckpoint", lastCheckpoint.map(StatusReport::checkpoint).orElse(null));
        m.put("lastFailure", lastFailure.map(StatusReport::failure).orElse(null));
        m.put("checkpointDeferred", checkpointDeferred.orElse(null));
        return Json.write(m);
    }

    public static StatusReport fromJson(String json) {
        JsonFields f = JsonFields.of(Json.parse(json));
        Optional<CheckpointSummary> last = Optional.empty();
        if (!f.isNull("lastCheckpoint")) {
            JsonFields c = f.object("lastCheckpoint");
            List<String> images = new ArrayList<>();
            for (Object o : c.list("images")) {
                images.add(String.valueOf(o));
            }
            last = Optional.of(new CheckpointSummary(c.number("generation"), Instant.parse(c.string("time")),
                    c.number("durationMs"), c.number("totalBytes"), images));
        }
        Optional<FailureSummary> failure = Optional.empty();
        if (!f.isNull("lastFailure")) {
            JsonFields e = f.object("lastFailure");
            failure = Optional.of(new FailureSummary(e.number("generation"), Instant.parse(e.string("time")),
                    e.string("reason")));
        }
        Optional<String> deferred = f.isNull("checkpointDeferred") ? Optional.empty()
                : Optional.of(f.string("checkpointDeferred"));
        return new StatusReport(f.string("host"), (int) f.number("port"), (int) f.number("processes"),
                f.number("generation"), f.bool("checkpointRunning"), f.number("interval"), last, failure, deferred);
    }

    private static Map<String, Object> checkpoint(CheckpointSummary c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation", c.generation());
        m.put("time", c.time().toString());
        m.put("durationMs", c.durationMillis());
        m.put("totalBytes", c.totalBytes());
        m.put("images", List.copyOf(c.images()));
        return m;
    }

    private static Map<String, Object> failure(FailureSummary f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation", f.generation());
        m.put("time", f.time().toString());
        m.put("reason", f.reason());
        return m;
    }
}
