package io.stasis.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --coord-host}, {@code --coord-port} and {@code --config}, shared by the commands that talk to a coordinator. */
public final class CoordinatorFlags {

    @Option(names = "--coord-host", paramLabel = "HOST",
            description = "Coordinator host (default: $STASIS_COORD_HOST, coord.host in the config file, 127.0.0.1).")
    String host;

    @Option(names = "--coord-port", paramLabel = "PORT",
            description = "Coordinator port (default: $STASIS_COORD_PORT, coord.port in the config file, 7779).")
    Integer port;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: ~/.config/stasis/stasis.properties when it exists).")
    Path config;

    Settings resolve(CliContext ctx, Path ckptDir) {
        return Settings.resolve(ctx.env(), ctx.workingDirectory(), Optional.ofNullable(config), host, port, ckptDir);
    }
}
