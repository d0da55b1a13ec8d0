package io.stasis.cli.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Copies what the computation writes to stdout or stderr to this command's own, as it comes. The program
 * writes into a pipe rather than into the job's output file: after a restart that pipe "led outside the
 * process" and becomes the restarting command's, so the program goes on writing to whichever file the
 * batch system gave this run, at its end, wherever the job's directory now is.
 */
final class OutputPump {

    private final Thread thread;

    OutputPump(String name, InputStream from, OutputStream to) {
        thread = new Thread(() -> copy(from, to), "stasis-batch-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void copy(InputStream from, OutputStream to) {
        byte[] buffer = new byte[64 * 1024];
        try (from) {
            int n;
            while ((n = from.read(buffer)) > 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the reading end closed: nothing more to copy
        }
    }

    /**
     * Waits until every writer closed the pipe (the computation is gone) and everything was copied. A process
     * that escaped the computation and keeps the pipe open is not waited for longer than {@code limit}.
     */
    void drain(Duration limit) throws InterruptedException {
        thread.join(Math.max(1, limit.toMillis()));
    }
}
