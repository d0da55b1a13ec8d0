package io.stasis.coordinator.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the processes of the checkpoint being taken said nothing will restore (UNRESTORED), each once. A round
 * taken again after an abort starts afresh (its processes scan again), so what a process in the middle of an
 * exec looked like to its parent the first time is forgotten. The blocking checkpoint's answer starts with
 * them, one {@code warning:} line each, at most {@link #MAX_LINES} (the answer is one protocol string; the log
 * has every line).
 */
final class UnrestoredResources {

    static final int MAX_LINES = 64;

    private final Set<String> lines = new LinkedHashSet<>();

    /** @return whether this resource is new to the checkpoint */
    boolean add(ProcessRecord process, String what) {
        return lines.add(process.describe() + ": " + what + " will not be restored");
    }

    /** The answer's text: the warnings, then the one-line outcome. */
    String prefix(String outcome) {
        if (lines.isEmpty()) {
            return outcome;
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (out.size() == MAX_LINES) {
                out.add("warning: " + (lines.size() - MAX_LINES) + " more resources will not be restored"
                        + " (listed in the coordinator's log)");
                break;
            }
            out.add("warning: " + line);
        }
        out.add(outcome);
        return String.join("\n", out);
    }

    void clear() {
        lines.clear();
    }
}
