package io.stasis.coordinator.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarningBudgetTest {

    /** Keeps what is logged. */
    private static final class Recorder implements Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "recorder";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            lines.add(message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }
    }

    @Test
    void aFloodIsCutAndSummedUpInTheNextWindow() {
        AtomicLong now = new AtomicLong();
        WarningBudget budget = new WarningBudget(3, 1000, now::get);
        Recorder log = new Recorder();
        for (int i = 0; i < 10; i++) {
            budget.warn(log, "bad " + i);
        }
        assertThat(log.lines).containsExactly("bad 0", "bad 1", "bad 2");
        now.set(1000);
        budget.warn(log, "later");
        assertThat(log.lines).containsExactly("bad 0", "bad 1", "bad 2",
                "7 more warnings about bad connections were not logged", "later");
    }
}
