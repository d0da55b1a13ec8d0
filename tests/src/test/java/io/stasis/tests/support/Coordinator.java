package io.stasis.tests.support;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.state.StateDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The coordinator a test's computation talks to, on a port of its own so tests never meet.
 * Every command run through it gets {@code STASIS_COORD_HOST}/{@code STASIS_COORD_PORT}
 * (config precedence: environment), so no subcommand needs a port flag.
 *
 * <pre>{@code
 * Coordinator coordinator = Coordinator.embedded(sandbox);   // stasis launch starts it
 * Coordinator coordinator = Coordinator.start(sandbox);      // stasis coordinator, in the foreground
 * }</pre>
 */
public final class Coordinator {

    public static final String HOST = "127.0.0.1";
    public static final String HOST_VARIABLE = "STASIS_COORD_HOST";
    public static final String PORT_VARIABLE = "STASIS_COORD_PORT";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Sandbox sandbox;
    private final int port;
    private final Optional<StasisProcess> process;
    private final Map<String, String> extraEnvironment;

    private Coordinator(Sandbox sandbox, int port, Optional<StasisProcess> process,
                        Map<String, String> extraEnvironment) {
        this.sandbox = sandbox;
        this.port = port;
        this.process = process;
        this.extraEnvironment = Map.copyOf(extraEnvironment);
    }

    /** The same coordinator, with one more variable for every command run through it. */
    public Coordinator withEnvironment(String variable, String value) {
        Map<String, String> more = new java.util.HashMap<>(extraEnvironment);
        more.put(variable, value);
        return new Coordinator(sandbox, port, process, more);
    }

    /** No process yet: the first {@code stasis launch} starts its embedded coordinator on a free port. */
    public static Coordinator embedded(Sandbox sandbox) {
        return new Coordinator(sandbox, sandbox.freePort(), Optional.empty(), Map.of());
    }

    /**
     * Runs {@code stasis coordinator --port 0 --port-file F <extraArgs>} in the foreground and
     * waits until it has written the port it listens on.
     */
    public static Coordinator start(Sandbox sandbox, String... extraArgs) {
        return startOnPort(sandbox, 0, extraArgs);
    }

    /**
     * {@code stasis coordinator --port PORT …}: on a port chosen beforehand ({@link Sandbox#freePort}), for a
     * coordinator started again the same way after it died.
     */
    public static Coordinator startOnPort(Sandbox sandbox, int listenOn, String... extraArgs) {
        Path portFile = sandbox.tmp().resolve("coordinator-" + sandbox.freePort() + ".port");
        List<String> args = new ArrayList<>(List.of("coordinator", "--port", String.valueOf(listenOn), "--port-file",
                portFile.toString()));
        args.addAll(List.of(extraArgs));
        StasisProcess process = sandbox.stasisCommand(args.toArray(String[]::new)).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Optional<Integer> port = readPort(portFile);
            if (port.isPresent()) {
                return new Coordinator(sandbox, port.get(), Optional.of(process), Map.of());
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the coordinator did not start\n" + process.describe());
            }
            StasisProcess.sleep(Duration.ofMillis(20));
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    /** Its secret, from its state directory (it runs as the sandbox's user: its state lies under that uid). */
    public Secret secret() {
        Path file = sandbox.tmp().resolve("stasis-" + sandbox.runAs().uid()).resolve("coord-" + port)
                .resolve(StateDirectory.SECRET_FILE);
        try {
            return Secret.fromHex(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The coordinator process, when {@link #start} ran one. */
    public Optional<StasisProcess> process() {
        return process;
    }

    public Map<String, String> environment() {
        Map<String, String> env = new java.util.HashMap<>(extraEnvironment);
        env.put(HOST_VARIABLE, HOST);
        env.put(PORT_VARIABLE, String.valueOf(port));
        return env;
    }

    /** {@code bin/stasis <args>} talking to this coordinator, to configure further and start. */
    public ProcessSpec command(String... args) {
        return sandbox.stasisCommand(args).env(environment());
    }

    /** {@code stasis launch <programAndArgs>}, left running. */
    public StasisProcess launch(String... programAndArgs) {
        return command(prepend("launch", programAndArgs)).start();
    }

    /** Runs {@code stasis <args>} to completion. */
    public CommandResult stasis(String... args) {
        return command(args).run();
    }

    public CommandResult stasis(Duration timeout, String... args) {
        return command(args).run(timeout);
    }

    /** A blocking checkpoint: returns when every image is written. */
    public CommandResult checkpoint() {
        return stasis("checkpoint");
    }

    /**
     * A blocking checkpoint asked for through a command connection of this JVM: it reaches the coordinator in
     * milliseconds, where {@code stasis checkpoint} first starts a JVM, which takes seconds on a loaded machine
     * (by then a program may be past the point the test meant to checkpoint, or finished). Fails the test
     * unless every image is written.
     */
    public void checkpointNow(StasisProcess launched) {
        io.stasis.coordinator.protocol.CommandResult result;
        try (CommandClient client = client()) {
            result = client.blockingCheckpoint(progress -> { });
        } catch (IOException e) {
            throw new AssertionError("checkpoint through port " + port + ": " + e.getMessage() + "\n"
                    + launched.describe(), e);
        }
        if (!result.ok()) {
            throw new AssertionError("checkpoint failed: " + result.text() + "\n" + launched.describe());
        }
    }

    /** A command connection to this coordinator. */
    public CommandClient client() throws IOException {
        return CommandClient.connect(HOST, port, secret());
    }

    /** {@code stasis restart <images>}, left running (the restarted program's output goes to its files). */
    public StasisProcess restart(Path... images) {
        return command(prepend("restart", Stream.of(images).map(Path::toString).toArray(String[]::new))).start();
    }

    /** The images in the sandbox's work directory (the default checkpoint directory), by name. */
    public List<Path> images() {
        try (Stream<Path> files = Files.list(sandbox.work())) {
            return files.filter(p -> p.getFileName().toString().matches("ckpt_.*\\.stasis")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static Optional<Integer> readPort(Path portFile) {
        try {
            String text = Files.readString(portFile).strip();
            return text.matches("[0-9]+") ? Optional.of(Integer.parseInt(text)) : Optional.empty();
        } catch (IOException notYet) {
            return Optional.empty();
        }
    }
}
