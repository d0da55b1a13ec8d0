package io.stasis.tests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A process started in a {@link Sandbox}: {@code bin/stasis …}, a test program, a shell.
 * Its stdout and stderr go to files in the sandbox, so they can be followed while it runs
 * and read after it was killed.
 */
public final class StasisProcess {

    private static final Duration POLL = Duration.ofMillis(20);
    /** After the process exits, how long its output may still grow (a child it left behind may write). */
    private static final Duration QUIET_AFTER_EXIT = Duration.ofSeconds(1);
    private static final int TAIL = 30;

    private final Sandbox sandbox;
    private final String name;
    private final List<String> command;
    private final Process process;
    private final OutputFile stdout;
    private final OutputFile stderr;

    StasisProcess(Sandbox sandbox, String name, List<String> command, Process process, OutputFile stdout,
            OutputFile stderr) {
        this.sandbox = sandbox;
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public String name() {
        return name;
    }

    /** The command as given (without the setpriv prefix that drops privileges). */
    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public Path stdoutFile() {
        return stdout.path();
    }

    public Path stderrFile() {
        return stderr.path();
    }

    /** Everything on stdout so far, line by line (a last unfinished line included). */
    public List<String> lines() {
        return stdout.lines();
    }

    public List<String> errorLines() {
        return stderr.lines();
    }

    public String output() {
        return stdout.text();
    }

    public String errorOutput() {
        return stderr.text();
    }

    /**
     * Waits until the complete stdout lines satisfy {@code condition}, and returns them.
     *
     * @throws AssertionError on timeout, or once the process and everything else in the
     *                        sandbox has stopped without the condition becoming true
     */
    public List<String> waitForOutput(Predicate<List<String>> condition, Duration timeout) {
        return waitFor(stdout, condition, timeout, "output satisfying the condition");
    }

    /** Waits for a stdout line in which {@code regex} is found, and returns that line. */
    public String waitForOutput(String regex, Duration timeout) {
        return firstMatch(waitFor(stdout, anyLine(regex), timeout, "a line matching /" + regex + "/"), regex);
    }

    /** Waits for a stderr line in which {@code regex} is found, and returns that line. */
    public String waitForErrorOutput(String regex, Duration timeout) {
        return firstMatch(waitFor(stderr, anyLine(regex), timeout, "a stderr line matching /" + regex + "/"), regex);
    }

    /** The exit code (128 + signal number when killed by a signal). */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + name
                        + " to exit\n" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, e);
        }
        return process.exitValue();
    }

    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** False once it exited, including while it is a zombie. */
    public boolean isAlive() {
        return process.isAlive() && ProcessTable.isRunning(pid());
    }

    /** SIGKILL, like a crash or an OOM kill; returns once it is gone. Its children live on. */
    public void kill9() {
        process.destroyForcibly();
        waitUntilGone(List.of(pid()));
    }

    /**
     * SIGKILL to the process and every descendant it has, all at once, as when their machine fails: every one is
     * stopped first. Killed one by one, the survivors would see the first ones die (a writer's SIGPIPE, a reader's
     * end of file) and print about it into output that the restart rewinds, where part of a line can stay.
     */
    public void kill9Tree() {
        List<Long> tree = new ArrayList<>(ProcessTable.descendants(List.of(pid())));
        tree.add(pid());
        Sandbox.stop(tree);
        // a child forked while the list was read is stopped too
        List<Long> late = new ArrayList<>(ProcessTable.descendants(tree));
        late.removeAll(tree);
        Sandbox.stop(late);
        tree.addAll(late);
        tree.forEach(Sandbox::kill);
        waitUntilGone(tree);
    }

    /** Sends a signal by number ({@code 15}) or name ({@code TERM}). */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, String.valueOf(pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -s " + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The process's stdin, when started with {@link ProcessSpec#stdinPipe()}. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Command, pid, state and the last lines of output, for failure messages. */
    public String describe() {
        String state = exitCode().isPresent() ? "exited with " + exitCode().getAsInt()
                : ProcessTable.state(pid()).map(s -> "state " + s).orElse("gone");
        return name + " (pid " + pid() + ", " + state + "): " + String.join(" ", command)
                + "\n--- stdout " + stdout.path() + " (last " + TAIL + " lines)\n" + String.join("\n", stdout.tail(TAIL))
                + "\n--- stderr " + stderr.path() + " (last " + TAIL + " lines)\n" + String.join("\n", stderr.tail(TAIL));
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }

    private List<String> waitFor(OutputFile file, Predicate<List<String>> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietSince = -1;
        while (true) {
            List<String> lines = file.completeLines();
            if (condition.test(lines)) {
                return lines;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + " from " + name + "\n" + describe());
            }
            // Fail early when nobody is left who could write: saves a long timeout on a crash.
            if (!process.isAlive() && sandbox.runningProcesses().isEmpty()) {
                quietSince = quietSince < 0 ? now : quietSince;
                if (now - quietSince > QUIET_AFTER_EXIT.toNanos()) {
                    throw new AssertionError(name + " exited and nothing in the sandbox runs, still no " + what
                            + "\n" + describe());
                }
            }
            sleep(POLL);
        }
    }

    private static Predicate<List<String>> anyLine(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return lines -> lines.stream().anyMatch(line -> pattern.matcher(line).find());
    }

    private static String firstMatch(List<String> lines, String regex) {
        Pattern pattern = Pattern.compile(regex);
        Optional<String> line = lines.stream().filter(l -> pattern.matcher(l).find()).findFirst();
        return line.orElseThrow();
    }

    private static void waitUntilGone(List<Long> pids) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pids.stream().anyMatch(ProcessTable::isRunning)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("processes " + pids + " still run 10 s after SIGKILL");
            }
            sleep(Duration.ofMillis(5));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
