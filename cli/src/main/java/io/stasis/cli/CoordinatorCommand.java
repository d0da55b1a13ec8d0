package io.stasis.cli;

import io.stasis.api.text.ErrorText;
import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stasis coordinator}: runs a coordinator in the foreground, or detached with {@code --daemon}. Every
 * option but {@code --daemon} has a {@code STASIS_*} variable and a config key ({@link CoordinatorSettings}).
 */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = "Run a coordinator: it registers processes, relays checkpoint commands and runs the "
                + "checkpoint barriers.")
final class CoordinatorCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one (default: $STASIS_COORD_PORT, coord.port, 7779).")
    Integer port;

    @Option(names = "--port-file", paramLabel = "FILE",
            description = "Write the port to FILE once listening ($STASIS_COORD_PORT_FILE, coord.port-file).")
    Path portFile;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on (default: $STASIS_COORD_BIND, coord.bind, 127.0.0.1; "
                    + "0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "Checkpoint every SECONDS seconds (default: $STASIS_CKPT_INTERVAL, ckpt.interval, 0: never).")
    Long interval;

    @Option(names = "--ckpt-dir", paramLabel = "DIR",
            description = "Directory every process writes its image to (default: $STASIS_COORD_CKPT_DIR, "
                    + "coord.ckpt-dir, each process's own).")
    Path checkpointDir;

    @Option(names = "--exit-on-last",
            description = "Quit when the last process leaves, or when none came within 60 s "
                    + "($STASIS_COORD_EXIT_ON_LAST, coord.exit-on-last).")
    boolean exitOnLast;

    @Option(names = "--exit-after-ckpt",
            description = "After the first successful checkpoint, kill every process and quit: batch eviction "
                    + "($STASIS_COORD_EXIT_AFTER_CKPT, coord.exit-after-ckpt).")
    boolean exitAfterCheckpoint;

    @Option(names = "--daemon", description = "Detach: run in the background, log to the state directory's parent.")
    boolean daemon;

    @Option(names = "--quiet", description = "Print nothing on start ($STASIS_COORD_QUIET, coord.quiet).")
    boolean quiet;

    @Option(names = "--barrier-timeout", paramLabel = "SECONDS",
            description = "Abort a checkpoint whose barrier waits this long without progress "
                    + "(default: $STASIS_COORD_BARRIER_TIMEOUT, coord.barrier-timeout, 120).")
    Long barrierTimeout;

    @Option(names = "--tmpdir", paramLabel = "DIR",
            description = "Directory for the coordinator's state and log (default: $STASIS_TMPDIR, tmpdir, "
                    + "$TMPDIR, /tmp).")
    Path tmpdir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: $STASIS_CONFIG, ~/.config/stasis/stasis.properties).")
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
            CoordinatorSettings settings = CoordinatorSettings.resolve(flags(), ctx.env(), ctx.workingDirectory(),
                    Optional.ofNullable(config));
            return daemon ? detach(settings) : run(settings);
        } catch (Exception e) {
            // whatever stops a detached coordinator, the command waiting for it learns why at once
            if (readyFile != null) {
                ReadyFile.error(readyFile, ErrorText.of(e));
            }
            throw e;
        }
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new HashMap<>();
        if (port != null) {
            flags.put(Settings.COORD_PORT.name(), String.valueOf(port));
        }
        if (portFile != null) {
            flags.put(CoordinatorSettings.PORT_FILE.name(), portFile.toString());
        }
        if (bind != null) {
            flags.put(CoordinatorSettings.BIND.name(), bind);
        }
        if (interval != null) {
            flags.put(CoordinatorSettings.INTERVAL.name(), String.valueOf(interval));
        }
        if (checkpointDir != null) {
            flags.put(CoordinatorSettings.CKPT_DIR.name(), checkpointDir.toString());
        }
        if (barrierTimeout != null) {
            flags.put(CoordinatorSettings.BARRIER_TIMEOUT.name(), String.valueOf(barrierTimeout));
        }
        // a switch can only be turned on here; the environment or the file may have turned it on already
        if (exitOnLast) {
            flags.put(CoordinatorSettings.EXIT_ON_LAST.name(), "true");
        }
        if (exitAfterCheckpoint) {
            flags.put(CoordinatorSettings.EXIT_AFTER_CKPT.name(), "true");
        }
        if (quiet) {
            flags.put(CoordinatorSettings.QUIET.name(), "true");
        }
        return flags;
    }

    private int run(CoordinatorSettings settings) throws Exception {
        CoordinatorOptions options = CoordinatorOptions.builder()
                .bindAddress(settings.bind())
                .port(settings.port())
                .intervalSeconds(settings.intervalSeconds())
                .checkpointDir(settings.checkpointDir().map(Path::toString).orElse(""))
                .exitOnLast(settings.exitOnLast())
                .exitAfterCheckpoint(settings.exitAfterCheckpoint())
                .quiet(settings.quiet())
                .barrierTimeout(Duration.ofSeconds(settings.barrierTimeoutSeconds()))
                .portFile(settings.portFile().orElse(null))
                .stasisCommand(ctx.installation().map(Installation::launcher).orElse(null))
                .build();
        CoordinatorServer server;
        try {
            server = CoordinatorServer.start(options, ctx.env());
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, e.getMessage(), e);
        }
        Thread hook = new Thread(server::close, "stasis-coordinator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!settings.quiet()) {
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

    /** The detached coordinator gets every setting resolved here, so it does not depend on what it inherits. */
    private int detach(CoordinatorSettings settings) {
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(settings.port()),
                "--bind", settings.bind(), "--interval", String.valueOf(settings.intervalSeconds()),
                "--barrier-timeout", String.valueOf(settings.barrierTimeoutSeconds())));
        settings.portFile().ifPresent(f -> args.add("--port-file=" + f));
        settings.checkpointDir().ifPresent(d -> args.add("--ckpt-dir=" + d));
        if (settings.exitOnLast()) {
            args.add("--exit-on-last");
        }
        if (settings.exitAfterCheckpoint()) {
            args.add("--exit-after-ckpt");
        }
        args.add("--quiet");
        DaemonStarter.Started started = new DaemonStarter(ctx).start(args, settings.port());
        if (!settings.quiet()) {
            ctx.out().println("stasis coordinator started on " + settings.bind() + ":" + started.port() + " (log "
                    + started.log() + ")");
        }
        return ExitCodes.OK;
    }
}
