package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What HTCondor's starter does with a vanilla job, as its manual describes it, for a job HTCondor itself cannot
 * run here (it is not packaged for Debian). Each run gets a fresh sandbox ({@code execute/dir_<n>}) seeded from
 * the spool; the job starts there in a process group of its own with stdout and stderr appended to
 * {@code _condor_stdout}/{@code _condor_stderr}. When it exits with {@code checkpoint_exit_code}, the files of
 * {@code transfer_checkpoint_files} are copied to the spool and the same command runs again in the same sandbox.
 * An eviction sends {@code kill_sig} to the job, waits, then SIGKILLs what is left; under
 * {@code when_to_transfer_output = ON_EXIT_OR_EVICT} the sandbox's files are copied to the spool; the sandbox is
 * removed and the next run is in a new one. The job's output is appended to the submit side's output file
 * whenever a sandbox is left. Everything runs as the sandbox's user, as the starter runs jobs as their owner.
 */
final class CondorStarter {

    /** The submit description's parts the starter uses. */
    record Submit(List<String> command, Map<String, String> environment, String killSig, int checkpointExitCode,
                  String transferCheckpointFiles, boolean onExitOrEvict, List<Path> transferInputFiles) {
    }

    /** One execution of the job's command in a sandbox. */
    record Run(StasisProcess job, Path sandbox, int linesBefore) {
        int newLines() {
            return lines(sandbox.resolve("_condor_stdout")).size() - linesBefore;
        }
    }

    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    private final Sandbox sandbox;
    private final Submit submit;
    private final Path spool;
    private final Path execute;
    private final Path output;
    private final Path error;
    private int sandboxes;
    private final List<String> log = new ArrayList<>();

    CondorStarter(Sandbox sandbox, Submit submit) {
        this.sandbox = sandbox;
        this.submit = submit;
        this.spool = sandbox.path("spool");
        this.execute = sandbox.path("execute");
        this.output = sandbox.path("job.out");
        this.error = sandbox.path("job.err");
        StringBuilder setup = new StringBuilder("mkdir -p spool execute && : > job.out && : > job.err");
        for (Path input : submit.transferInputFiles()) {
            setup.append(" && cp ").append(quote(input.toString())).append(" spool/");
        }
        shell(sandbox.work(), setup.toString());
    }

    /** A new sandbox seeded from the spool, and the job started in it. */
    Run startInNewSandbox() {
        Path dir = execute.resolve("dir_" + (++sandboxes));
        shell(sandbox.work(), "mkdir " + quote(dir.toString()) + " && cp -a spool/. " + quote(dir.toString()) + "/");
        log.add("run in new sandbox " + dir.getFileName());
        return start(dir);
    }

    private Run start(Path dir) {
        int before = lines(dir.resolve("_condor_stdout")).size();
        StringBuilder command = new StringBuilder("exec setsid");
        submit.command().forEach(a -> command.append(' ').append(quote(a)));
        command.append(" >>_condor_stdout 2>>_condor_stderr");
        StasisProcess job = sandbox.command("sh", "-c", command.toString()).name("condor-job").directory(dir)
                .env(submit.environment()).start();
        return new Run(job, dir, before);
    }

    /** Waits for the job to exit on its own: a checkpoint exit is followed by a rerun, returned; else null. */
    Run awaitExit(Run run, int... expectedStatus) {
        int status = run.job().waitFor(RUN_LIMIT);
        log.add("exit " + status);
        assertThat(status).as("exit status\n" + describe(run)).isIn(java.util.Arrays.stream(expectedStatus).boxed().toList());
        if (status == submit.checkpointExitCode()) {
            // only the checkpoint files go to the spool; the job runs again in the same sandbox
            String files = submit.transferCheckpointFiles().replaceAll("/+$", "");
            shell(sandbox.work(), "rm -rf spool/" + files + ".new && cp -a " + quote(run.sandbox() + "/" + files)
                    + " spool/" + files + ".new && rm -rf spool/" + files + " && mv spool/" + files + ".new spool/"
                    + files);
            log.add("checkpoint files saved; rerun in the same sandbox");
            return start(run.sandbox());
        }
        leave(run.sandbox());
        return null;
    }

    /** Eviction: kill_sig, a wait, SIGKILL; the job's status once it exited (by itself, we hope). */
    int evict(Run run) {
        run.job().signal(submit.killSig());
        int status;
        try {
            status = run.job().waitFor(KILL_WAIT);
        } catch (AssertionError e) {
            run.job().kill9Tree();
            status = 137;
        }
        log.add("evicted with SIG" + submit.killSig() + ": exit " + status);
        if (submit.onExitOrEvict()) {
            // every file the job left in the sandbox goes to the spool, for the next run
            shell(run.sandbox(), "for f in * .[!.]*; do [ -e \"$f\" ] || continue; case $f in _condor_std*) ;; "
                    + "*) rm -rf " + quote(spool.toString()) + "/\"$f\"; cp -a \"$f\" " + quote(spool.toString())
                    + "/ ;; esac; done");
        }
        leave(run.sandbox());
        return status;
    }

    List<String> output() {
        return lines(output);
    }

    String errors() {
        try {
            return Files.readString(error);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> history() {
        return List.copyOf(log);
    }

    Path spool() {
        return spool;
    }

    String describe(Run run) {
        return String.join("\n", log) + "\n" + run.job().describe() + "\n--- job stderr:\n"
                + String.join("\n", lines(run.sandbox().resolve("_condor_stderr"))) + "\n--- earlier stderr:\n"
                + errors();
    }

    /** The sandbox's stdout and stderr are appended to the submit side's files; the sandbox is removed. */
    private void leave(Path dir) {
        log.add("left " + dir.getFileName() + " after " + lines(dir.resolve("_condor_stdout")).size() + " lines");
        shell(sandbox.work(), "cat " + quote(dir + "/_condor_stdout") + " >> job.out && cat "
                + quote(dir + "/_condor_stderr") + " >> job.err && rm -rf " + quote(dir.toString()));
    }

    private void shell(Path dir, String script) {
        sandbox.command("sh", "-c", script).name("starter").directory(dir).run().requireSuccess();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
