package io.stasis.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A blocking checkpoint's answer (COMMAND_RESULT text): a {@code warning:} line for each resource no plugin
 * will restore, then the one-line outcome.
 *
 * @param warnings the warning lines, {@code warning:} included
 * @param outcome  the last line
 */
public record CheckpointAnswer(List<String> warnings, String outcome) {

    private static final String WARNING = "warning: ";

    public CheckpointAnswer {
        warnings = List.copyOf(warnings);
    }

    public static CheckpointAnswer of(String text) {
        List<String> warnings = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            (line.startsWith(WARNING) ? warnings : rest).add(line);
        }
        return new CheckpointAnswer(warnings, String.join("\n", rest));
    }
}
