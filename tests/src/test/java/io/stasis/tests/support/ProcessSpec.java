package io.stasis.tests.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A process about to be started in a sandbox: its command, name, directory and environment. */
public final class ProcessSpec {

    private static final File DEV_NULL = new File("/dev/null");

    private final Sandbox sandbox;
    private final List<String> command;
    private String name;
    private Path directory;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Set<String> removed = new LinkedHashSet<>();
    private boolean stdinPipe;

    ProcessSpec(Sandbox sandbox, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        this.sandbox = sandbox;
        this.command = List.copyOf(command);
        this.name = Path.of(command.get(0)).getFileName().toString();
        this.directory = sandbox.work();
    }

    /** How messages and output files call it, e.g. {@code "launch"}, {@code "restart-2"}. */
    public ProcessSpec name(String name) {
        this.name = name;
        return this;
    }

    /** The working directory; the sandbox's {@code work/} by default. */
    public ProcessSpec directory(Path directory) {
        this.directory = directory;
        return this;
    }

    public ProcessSpec env(String variable, String value) {
        environment.put(variable, value);
        removed.remove(variable);
        return this;
    }

    public ProcessSpec env(Map<String, String> variables) {
        variables.forEach(this::env);
        return this;
    }

    public ProcessSpec withoutEnv(String variable) {
        environment.remove(variable);
        removed.add(variable);
        return this;
    }

    /** Keeps stdin a pipe the test can write to ({@link StasisProcess#stdin()}); /dev/null otherwise. */
    public ProcessSpec stdinPipe() {
        this.stdinPipe = true;
        return this;
    }

    public StasisProcess start() {
        String id = sandbox.nextProcessId(name);
        OutputFile stdout = new OutputFile(sandbox.outputDir().resolve(id + ".out"));
        OutputFile stderr = new OutputFile(sandbox.outputDir().resolve(id + ".err"));
        for (OutputFile file : List.of(stdout, stderr)) {
            createOwnedBySandboxUser(file.path());
        }
        ProcessBuilder builder = new ProcessBuilder(sandbox.runAs().wrap(command))
                .directory(directory.toFile())
                .redirectOutput(stdout.path().toFile())
                .redirectError(stderr.path().toFile());
        if (!stdinPipe) {
            builder.redirectInput(DEV_NULL);
        }
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(sandbox.environment());
        env.putAll(environment);
        removed.forEach(env::remove);
        try {
            StasisProcess process = new StasisProcess(sandbox, name, command, builder.start(), stdout, stderr);
            sandbox.register(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /**
     * A restored program reopens its stdout and stderr by path, as the user it runs as: the
     * files must be that user's, as they would be had its own shell redirected them.
     */
    private void createOwnedBySandboxUser(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
        sandbox.runAs().own(file);
    }

    /** Starts it and waits for it to exit. */
    public CommandResult run(Duration timeout) {
        StasisProcess process = start();
        int exitCode = process.waitFor(timeout);
        return new CommandResult(name, command, exitCode, process.lines(), process.errorLines());
    }

    public CommandResult run() {
        return run(Sandbox.COMMAND_TIMEOUT);
    }
}
