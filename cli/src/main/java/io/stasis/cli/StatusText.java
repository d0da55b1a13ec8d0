package io.stasis.cli;

import io.stasis.coordinator.report.ByteSizes;
import io.stasis.coordinator.report.ProcessView;
import io.stasis.coordinator.report.StatusReport;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human-readable form of the coordinator's status and process list. */
final class StatusText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private StatusText() {
    }

    static String render(StatusReport status, List<ProcessView> processes, ZoneId zone) {
        StringBuilder s = new StringBuilder();
        s.append("coordinator ").append(status.host()).append(':').append(status.port())
                .append(", generation ").append(status.generation())
                .append(", ").append(status.intervalSeconds() == 0 ? "no interval checkpoints"
                        : "checkpoint every " + status.intervalSeconds() + " s");
        if (status.checkpointRunning()) {
            s.append(", checkpoint running");
        }
        s.append('\n');
        status.checkpointDeferred().ifPresent(w -> s.append("checkpoint deferred: waiting for ").append(w).append('\n'));
        s.append(status.processes()).append(status.processes() == 1 ? " process" : " processes");
        s.append(processes.isEmpty() ? "\n" : ":\n" + processTable(processes));
        status.lastCheckpoint().ifPresent(c -> {
            s.append("last checkpoint: generation ").append(c.generation()).append(" at ")
                    .append(time(c.time(), zone)).append(", ").append(ByteSizes.human(c.totalBytes()))
                    .append(String.format(Locale.ROOT, " in %.1f s", c.durationMillis() / 1000.0)).append('\n');
            c.images().forEach(image -> s.append("  ").append(image).append('\n'));
        });
        status.lastFailure().ifPresent(f -> s.append("last failure: generation ").append(f.generation())
                .append(" at ").append(time(f.time(), zone)).append(": ").append(f.reason()).append('\n'));
        return s.toString();
    }

    static String processTable(List<ProcessView> processes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PID", "REAL PID", "HOST", "STATE", "GEN", "PROGRAM", "UNIQUE ID"});
        for (ProcessView p : processes) {
            rows.add(new String[] {String.valueOf(p.pid()), String.valueOf(p.realPid()), p.host(), p.state(),
                String.valueOf(p.generation()), p.program(), p.uniqueId()});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                line.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i]));
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }

    private static String time(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone));
    }
}
