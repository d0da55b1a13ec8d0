package io.stasis.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * java.util.logging for the command line and the coordinator it runs: one line per record on stderr,
 * warnings only, everything with {@code STASIS_DEBUG=1}.
 */
final class LogSetup {

    private LogSetup() {
    }

    static void configure(Map<String, String> env, PrintStream err) {
        boolean debug = "1".equals(env.get("STASIS_DEBUG"));
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler handler = new StreamHandler(err, new OneLine(debug)) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        Level level = debug ? Level.ALL : Level.WARNING;
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
        // Netty's own debug output is noise even when debugging Stasis
        Logger.getLogger("io.netty").setLevel(Level.INFO);
    }

    /** {@code 2025-01-01 12:00:00.000 WARNING closing connection from …}. */
    private static final class OneLine extends Formatter {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());
        private final boolean stackTraces;

        OneLine(boolean stackTraces) {
            this.stackTraces = stackTraces;
        }

        @Override
        public String format(LogRecord r) {
            StringBuilder s = new StringBuilder().append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
                    .append(r.getLevel().getName()).append(' ').append(formatMessage(r)).append('\n');
            if (stackTraces && r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                s.append(trace);
            }
            return s.toString();
        }
    }
}
