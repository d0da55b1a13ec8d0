package io.stasis.cli;

import io.stasis.cli.plugin.PluginSelection;
import io.stasis.coordinator.protocol.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stasis launch PROGRAM ARGS…}: makes sure a coordinator runs, then becomes the program (same
 * pid) with libstasis and the plugins' fragments preloaded.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = "Run a program under Stasis: it can then be checkpointed with `stasis checkpoint`. "
                + "Options after PROGRAM belong to the program.")
final class LaunchCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    CoordinatorFlags coordinator;

    @Option(names = "--ckpt-dir", paramLabel = "DIR",
            description = "Directory for images (default: $STASIS_CKPT_DIR, ckpt.dir, the current directory).")
    Path checkpointDir;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "Checkpoint every SECONDS seconds (default: $STASIS_CKPT_INTERVAL, ckpt.interval).")
    Long interval;

    /** --enable, --disable, --only, --set, --plugins-dir (see `stasis plugins`) */
    @Mixin
    PluginOptions pluginOptions;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "Program, looked up in PATH like a shell does.")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments of the program.")
    List<String> arguments = new ArrayList<>();

    LaunchCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (interval != null && (interval < 0 || interval > 0xFFFF_FFFFL)) {
            throw new CliException(ExitCodes.USAGE, "--interval must be 0..4294967295 seconds");
        }
        Installation installation = ctx.requireInstallation();
        Path executable = ProgramResolver.resolve(program, ctx.env().get("PATH"), ctx.workingDirectory());
        PluginSelection plugins = pluginOptions.select(ctx, Optional.ofNullable(coordinator.config));
        String preload = PreloadList.compose(installation, plugins, ctx.env().get("LD_PRELOAD"));
        Settings settings = coordinator.resolve(ctx, checkpointDir);
        Path dir = settings.checkpointDir().orElse(ctx.workingDirectory());
        Directories.createWritable(dir, "checkpoint directory");

        CoordinatorConnector connector = new CoordinatorConnector(ctx);
        Secret secret = connector.findOrStart(settings.coordinator(), coordinator.interval(ctx, interval));
        Map<String, String> env = LaunchEnvironment.forLaunch(ctx.env(),
                new LaunchEnvironment.Coordinates(settings.coordinator(), secret, dir, installation), preload, plugins,
                LaunchEnvironment.newComputationId(new SecureRandom()));
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(arguments);
        // this process becomes the program: checkpoints wait for it to register (no "checkpointing too soon")
        connector.announce(settings.coordinator(), secret);
        ctx.processImage().replace(executable, argv, env);
        return ExitCodes.OK; // only reached with a ProcessImage that does not exec (tests)
    }
}
