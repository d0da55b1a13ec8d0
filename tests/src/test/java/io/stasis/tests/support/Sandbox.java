package io.stasis.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A fresh directory per test, and every process the test starts, all gone on close.
 *
 * <pre>
 * dir/        0777, owned by the user processes run as
 *   work/     default working directory (and so where images land)
 *   home/     $HOME
 *   tmp/      $TMPDIR and $STASIS_TMPDIR (0700: the coordinator keeps its secret there)
 *   out/      stdout and stderr of each process: NN-name.out, NN-name.err
 * </pre>
 *
 * When the tests run as root, processes run as nobody ({@link RunAs}). Every process gets
 * {@value #MARKER} in its environment; on close, processes that carry it (even ones that
 * daemonized or were restarted from an image) and descendants of the processes started here
 * are killed with SIGKILL. Set {@code -Dstasis.keepSandbox=true} to keep the directory.
 */
public final class Sandbox implements AutoCloseable {

    /** Not {@code STASIS_*}: libstasis removes those from the programs it runs. */
    public static final String MARKER = "SANDBOX_ID";
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private final StasisHome stasisHome;
    private final RunAs runAs;
    private final Path dir;
    private final String id = UUID.randomUUID().toString();
    private final boolean keepDirectory;
    private final List<StasisProcess> processes = new CopyOnWriteArrayList<>();
    private final Set<Integer> ports = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile boolean closed;

    private Sandbox(StasisHome stasisHome, RunAs runAs, Path dir, boolean keepDirectory) {
        this.stasisHome = stasisHome;
        this.runAs = runAs;
        this.dir = dir;
        this.keepDirectory = keepDirectory;
    }

    public static Sandbox create() {
        return create(StasisHome.fromSystemProperties());
    }

    public static Sandbox create(StasisHome stasisHome) {
        RunAs runAs = RunAs.detect();
        try {
            Path dir = Files.createTempDirectory("stasis-test-");
            Sandbox sandbox = new Sandbox(stasisHome, runAs, dir, Boolean.getBoolean("stasis.keepSandbox"));
            sandbox.layOut();
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a sandbox", e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path work() {
        return dir.resolve("work");
    }

    public Path home() {
        return dir.resolve("home");
    }

    public Path tmp() {
        return dir.resolve("tmp");
    }

    public Path outputDir() {
        return dir.resolve("out");
    }

    /** A path in {@code work/}. */
    public Path path(String relative) {
        return work().resolve(relative);
    }

    public StasisHome stasisHome() {
        return stasisHome;
    }

    public RunAs runAs() {
        return runAs;
    }

    /**
     * The environment every process starts with: the test's own, without {@code STASIS_*}
     * settings from the developer's shell, with HOME, TMPDIR, STASIS_TMPDIR in the sandbox and
     * JAVA_HOME set to the JVM running the tests.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(name -> name.startsWith("STASIS_") || name.equals("XDG_CONFIG_HOME")
                || name.equals("LD_PRELOAD"));
        env.put("HOME", home().toString());
        env.put("TMPDIR", tmp().toString());
        env.put("STASIS_TMPDIR", tmp().toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put(MARKER, id);
        return env;
    }

    /** A process to configure, then {@link ProcessSpec#start()} or {@link ProcessSpec#run()}. */
    public ProcessSpec command(String... command) {
        return command(List.of(command));
    }

    public ProcessSpec command(List<String> command) {
        if (closed) {
            throw new IllegalStateException("sandbox " + dir + " is closed");
        }
        return new ProcessSpec(this, command);
    }

    /** {@code bin/stasis <args>}, named after its subcommand. */
    public ProcessSpec stasisCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(stasisHome.stasis().toString());
        command.addAll(List.of(args));
        return command(command).name(args.length > 0 && !args[0].startsWith("-") ? args[0] : "stasis");
    }

    public StasisProcess start(String... command) {
        return command(command).start();
    }

    public StasisProcess startStasis(String... args) {
        return stasisCommand(args).start();
    }

    /** Runs a command to completion (at most two minutes). */
    public CommandResult run(String... command) {
        return command(command).run();
    }

    public CommandResult runStasis(String... args) {
        return stasisCommand(args).run();
    }

    /** A TCP port nothing listens on now, never the same twice in this sandbox. */
    public int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (ports.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }
        throw new IllegalStateException("no new free port after 100 attempts");
    }

    public List<StasisProcess> processes() {
        return List.copyOf(processes);
    }

    /**
     * Pids of this sandbox's processes that are running (zombies excluded): those started
     * here, their descendants, and anything carrying the sandbox's marker.
     */
    public Set<Long> runningProcesses() {
        Set<Long> started = processes.stream().map(StasisProcess::pid).collect(Collectors.toSet());
        Set<Long> all = new LinkedHashSet<>(started);
        all.addAll(ProcessTable.descendants(started));
        all.addAll(ProcessTable.withEnvironmentEntry(MARKER + "=" + id));
        all.remove(ProcessHandle.current().pid());
        all.removeIf(pid -> !ProcessTable.isRunning(pid));
        return all;
    }

    /** Every process's command, state and last output lines: print it when a test fails. */
    public String diagnostics() {
        StringBuilder out = new StringBuilder("sandbox " + dir + "\n");
        for (StasisProcess process : processes) {
            out.append(process.describe()).append("\n\n");
        }
        return out.toString();
    }

    /** Kills everything the test started, then removes the directory. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        killAll();
        if (keepDirectory) {
            System.err.println("stasis.keepSandbox: kept " + dir);
            return;
        }
        delete(dir);
    }

    String nextProcessId(String name) {
        return String.format("%02d-%s", sequence.incrementAndGet(), name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    void register(StasisProcess process) {
        processes.add(process);
    }

    static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** SIGSTOP to each of these processes; one that is gone already is passed over. */
    static void stop(List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-s", "STOP"));
        pids.forEach(pid -> command.add(String.valueOf(pid)));
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void layOut() throws IOException {
        for (String sub : List.of("work", "home", "tmp", "out")) {
            Files.createDirectory(dir.resolve(sub));
        }
        Files.setPosixFilePermissions(tmp(), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(home(), PosixFilePermissions.fromString("rwx------"));
        if (runAs.dropsPrivileges()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            for (Path path : List.of(dir, work(), home(), tmp(), outputDir())) {
                runAs.own(path);
            }
            makeTraversable(dir.getParent());
        }
    }

    /** nobody must reach the sandbox: add search permission for others to any ancestor that lacks it. */
    private static void makeTraversable(Path directory) throws IOException {
        for (Path path = directory; path != null; path = path.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(path, permissions);
            }
        }
    }

    /** Collect first, then kill: a parent killed first would orphan its children out of reach. */
    private void killAll() {
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        Set<Long> running = runningProcesses();
        while (!running.isEmpty()) {
            running.forEach(Sandbox::kill);
            if (System.nanoTime() > deadline) {
                System.err.println("sandbox " + dir + ": processes " + running + " survive SIGKILL");
                break;
            }
            StasisProcess.sleep(Duration.ofMillis(20));
            running = runningProcesses();
        }
        for (StasisProcess process : processes) {
            process.exitCode();
        }
    }

    private static void delete(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                        throws IOException {
                    // A test program may have left a directory without permissions for its owner.
                    try {
                        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
                    } catch (IOException notOurs) {
                        // deletion below reports what is really wrong
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("sandbox: cannot remove " + root + ": " + e);
        }
    }
}
