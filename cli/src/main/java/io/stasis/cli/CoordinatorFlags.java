package io.stasis.cli;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.StasisConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/**
 * {@code --coord-host}, {@code --coord-port}, {@code --tmpdir} and {@code --config}, shared by the commands
 * that talk to a coordinator. {@code --tmpdir} is applied before the command runs ({@link TmpdirOption}).
 */
public final class CoordinatorFlags {

    @Option(names = {"--coord-host", "--host"}, paramLabel = "HOST",
            description = "Coordinator host (default: $STASIS_COORD_HOST, coord.host in the config file, 127.0.0.1).")
    String host;

    @Option(names = {"--coord-port", "--port"}, paramLabel = "PORT",
            description = "Coordinator port (default: $STASIS_COORD_PORT, coord.port in the config file, 7779).")
    Integer port;

    @Option(names = "--tmpdir", paramLabel = "DIR",
            description = "Directory for coordinator state and logs (default: $STASIS_TMPDIR, tmpdir in the "
                    + "config file, $TMPDIR, /tmp).")
    Path tmpdir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: $STASIS_CONFIG, else ~/.config/stasis/stasis.properties "
                    + "when it exists).")
    Path config;

    Settings resolve(CliContext ctx, Path ckptDir) {
        return Settings.resolve(ctx.env(), ctx.workingDirectory(), Optional.ofNullable(config), host, port, ckptDir);
    }

    /** {@code --interval} of launch, else {@code STASIS_CKPT_INTERVAL}, else {@code ckpt.interval}; empty if none. */
    OptionalLong interval(CliContext ctx, Long flag) {
        Map<String, String> flags = flag == null ? Map.of()
                : Map.of(CoordinatorSettings.INTERVAL.name(), String.valueOf(flag));
        try {
            StasisConfig config = StasisConfig.load(flags, ctx.env(),
                    Optional.ofNullable(this.config).map(ctx.workingDirectory()::resolve));
            if (config.get(CoordinatorSettings.INTERVAL.name()).isEmpty()) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(CoordinatorSettings.seconds(config, CoordinatorSettings.INTERVAL));
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
