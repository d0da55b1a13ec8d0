package io.stasis.cli.batch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The checkpointed computation as this command's child: {@code stasis launch} or {@code stasis restart}, in a
 * session of its own ({@code setsid}) so that a signal for the whole process group of the job (a Ctrl-C, a
 * batch system signalling the group) reaches this command and not the program, which must not die before
 * its checkpoint. Out of the group it would also outlive a SIGKILL of this command (a batch system's last
 * resort) unnoticed, so launch and restart ask the kernel for SIGKILL when their parent dies
 * ({@code STASIS_PARENT_DEATH_SIGNAL}, kept through the exec into the program). Its stdout and stderr are pipes
 * copied to ours ({@link OutputPump}).
 *
 * <p>The parent-death signal follows the thread that started the child: {@link #start} must be called from a
 * thread that lives as long as the computation (the command's main thread).
 */
final class Computation {

    private final Process process;
    private final OutputPump out;
    private final OutputPump err;

    private Computation(Process process, PrintStream stdout, PrintStream stderr) {
        this.process = process;
        this.out = new OutputPump("stdout", process.getInputStream(), stdout);
        this.err = new OutputPump("stderr", process.getErrorStream(), stderr);
    }

    static Computation start(List<String> command, Path directory, Map<String, String> env, PrintStream stdout,
                             PrintStream stderr) throws IOException {
        List<String> all = new ArrayList<>(List.of("setsid"));
        all.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(all).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("STASIS_PARENT_DEATH_SIGNAL", "9");
        return new Computation(pb.start(), stdout, stderr);
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Its exit status, shell style (128 + signal when killed), once it ended and its output was copied. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        out.drain(Duration.ofSeconds(5));
        err.drain(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** SIGKILL to the child and everything below it, for when the coordinator could not stop it. */
    void destroy() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
