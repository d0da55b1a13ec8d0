package io.stasis.cli;

import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.report.ByteSizes;
import java.io.PrintStream;

/** One self-overwriting line on a terminal: bytes written of the total. */
final class ProgressPrinter {

    private final PrintStream terminal;
    private int width;

    ProgressPrinter(PrintStream terminal) {
        this.terminal = terminal;
    }

    void show(Progress p) {
        String line = "checkpoint " + p.generation() + ": " + ByteSizes.human(p.bytesDone()) + " of "
                + ByteSizes.human(p.bytesTotal())
                + (p.bytesTotal() > 0 ? " (" + Math.min(100, p.bytesDone() * 100 / p.bytesTotal()) + "%)" : "");
        terminal.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        terminal.flush();
        width = line.length();
    }

    /** Clears the line so that the result is printed on a clean one. */
    void finish() {
        if (width > 0) {
            terminal.print("\r" + " ".repeat(width) + "\r");
            terminal.flush();
            width = 0;
        }
    }
}
