package io.stasis.cli;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Coordinator address and checkpoint directory, each resolved with the precedence of docs/environment.md:
 * command-line flag, then {@code STASIS_COORD_HOST}/{@code STASIS_COORD_PORT}/{@code STASIS_CKPT_DIR},
 * then {@code coord.host}/{@code coord.port}/{@code ckpt.dir} in the config file, then the default.
 */
public record Settings(CoordinatorAddress coordinator, Optional<Path> checkpointDir) {

    public static final ConfigKey COORD_HOST = new ConfigKey("coord.host", "127.0.0.1", "coordinator host");
    public static final ConfigKey COORD_PORT = new ConfigKey("coord.port", "7779", "coordinator port");
    public static final ConfigKey CKPT_DIR = new ConfigKey("ckpt.dir", null,
            "directory for images (default: the launch directory)");

    /**
     * @param configFile {@code --config}, or empty for the default file (read only if it exists)
     * @param host       {@code --coord-host} or null
     * @param port       {@code --coord-port} or null
     * @param ckptDir    {@code --ckpt-dir} or null; a relative directory is taken from {@code cwd}
     */
    public static Settings resolve(Map<String, String> env, Path cwd, Optional<Path> configFile, String host,
                                   Integer port, Path ckptDir) {
        Map<String, String> flags = new HashMap<>();
        if (host != null) {
            flags.put(COORD_HOST.name(), host);
        }
        if (port != null) {
            flags.put(COORD_PORT.name(), String.valueOf(port));
        }
        if (ckptDir != null) {
            flags.put(CKPT_DIR.name(), ckptDir.toString());
        }
        try {
            StasisConfig config = StasisConfig.load(flags, env, configFile.map(cwd::resolve));
            int resolvedPort = config.getInt(COORD_PORT);
            Optional<Path> dir = config.get(CKPT_DIR.name()).map(d -> cwd.resolve(d).normalize());
            return new Settings(new CoordinatorAddress(config.get(COORD_HOST), resolvedPort), dir);
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
