package io.stasis.cli;

import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stasis coordinator}: runs a coordinator in the foreground, or detached with {@code --daemon}. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = "Run a coordinator: it registers processes, relays checkpoint commands and runs the "
                + "checkpoint barriers.")
final class CoordinatorCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one (default: $STASIS_COORD_PORT, coord.port, 7779).")
    Integer port;

    @Option(names = "--port-file", paramLabel = "FILE", description = "Write the port to FILE once listening.")
    Path portFile;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = CoordinatorOptions.DEFAULT_BIND_ADDRESS,
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "0",
            description = "Checkpoint every SECONDS seconds (default: 0, never).")
    long interval;

    @Option(names = "--ckpt-dir", paramLabel = "DIR",
            description = "Directory every process writes its image to (default: each process's own).")
    Path checkpointDir;

    @Option(names = "--exit-on-last", description = "Quit when the last process leaves (or when none came within 60 s).")
    boolean exitOnLast;

    @Option(names = "--daemon", description = "Detach: run in the background, log to the state directory's parent.")
    boolean daemon;

    @Option(names = "--quiet", description = "Print nothing on start.")
    boolean quiet;

    @Option(names = "--barrier-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Abort a checkpoint whose barrier waits this long without progress (default: ${DEFAULT-VALUE}).")
    long barrierTimeout;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file for coord.port.")
    Path config;

    /** Written by a detached coordinator for the command that started it (see {@link ReadyFile}). */
    @Option(names = "--ready-file", hidden = true)
    Path readyFile;

    CoordinatorCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try {
            return runOrDetach();
        } catch (Exception e) {
            // whatever stops a detached coordinator, the command waiting for it learns why at once
            if (readyFile != null) {
                ReadyFile.error(readyFile, e.getMessage() != null ? e.getMessage() : e.toString());
            }
            throw e;
        }
    }

    private int runOrDetach() throws Exception {
        int resolvedPort = port != null ? port : Settings.resolve(ctx.env(), ctx.workingDirectory(),
                Optional.ofNullable(config), null, null, null).coordinator().port();
        if (resolvedPort < 0 || resolvedPort > 65535) {
            throw new CliException(ExitCodes.USAGE, "--port must be 0..65535");
        }
        if (interval < 0 || barrierTimeout <= 0) {
            throw new CliException(ExitCodes.USAGE, "--interval must be ≥ 0 and --barrier-timeout > 0");
        }
        return daemon ? detach(resolvedPort) : run(resolvedPort);
    }

    private int run(int resolvedPort) throws Exception {
        CoordinatorOptions options = CoordinatorOptions.builder()
                .bindAddress(bind)
                .port(resolvedPort)
                .intervalSeconds(interval)
                .checkpointDir(checkpointDir == null ? "" : absolute(checkpointDir).toString())
                .exitOnLast(exitOnLast)
                .quiet(quiet)
                .barrierTimeout(Duration.ofSeconds(barrierTimeout))
                .portFile(portFile == null ? null : absolute(portFile))
                .build();
        CoordinatorServer server;
        try {
            server = CoordinatorServer.start(options, ctx.env());
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, e.getMessage(), e);
        }
        Thread hook = new Thread(server::close, "stasis-coordinator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!quiet) {
            ctx.out().println(server.describe());
            ctx.out().flush();
        }
        if (readyFile != null) {
            ReadyFile.ok(readyFile, server.port());
        }
        server.awaitTermination();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running
        }
        return ExitCodes.OK;
    }

    private int detach(int resolvedPort) {
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(resolvedPort), "--bind", bind,
                "--interval", String.valueOf(interval), "--barrier-timeout", String.valueOf(barrierTimeout)));
        if (portFile != null) {
            args.add("--port-file=" + absolute(portFile));
        }
        if (checkpointDir != null) {
            args.add("--ckpt-dir=" + absolute(checkpointDir));
        }
        if (exitOnLast) {
            args.add("--exit-on-last");
        }
        args.add("--quiet");
        DaemonStarter.Started started = new DaemonStarter(ctx).start(args, resolvedPort);
        if (!quiet) {
            ctx.out().println("stasis coordinator started on " + bind + ":" + started.port() + " (log "
                    + started.log() + ")");
        }
        return ExitCodes.OK;
    }

    private Path absolute(Path p) {
        return ctx.workingDirectory().resolve(p).normalize();
    }
}
