package io.stasis.cli;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of {@code stasis coordinator}, each from its option, else its {@code STASIS_*} variable,
 * else the config file, else its default (the precedence of docs/environment.md). The port is {@code coord.port},
 * shared with the commands that talk to the coordinator; the interval is {@code ckpt.interval}, shared
 * with {@code stasis launch --interval}.
 */
record CoordinatorSettings(String bind, int port, long intervalSeconds, Optional<Path> checkpointDir,
                           boolean exitOnLast, boolean exitAfterCheckpoint, boolean quiet, long barrierTimeoutSeconds,
                           Optional<Path> portFile) {

    static final ConfigKey BIND = new ConfigKey("coord.bind", "127.0.0.1",
            "address the coordinator listens on (0.0.0.0: every interface)");
    static final ConfigKey INTERVAL = new ConfigKey("ckpt.interval", "0", "seconds between checkpoints, 0 for none");
    static final ConfigKey CKPT_DIR = new ConfigKey("coord.ckpt-dir", null,
            "directory every process writes its image to (default: each process's own)");
    static final ConfigKey BARRIER_TIMEOUT = new ConfigKey("coord.barrier-timeout", "120",
            "seconds a barrier may wait without progress before the checkpoint is aborted");
    static final ConfigKey EXIT_ON_LAST = new ConfigKey("coord.exit-on-last", "false",
            "quit when the last process leaves");
    static final ConfigKey EXIT_AFTER_CKPT = new ConfigKey("coord.exit-after-ckpt", "false",
            "after the first successful checkpoint, kill every process and quit");
    static final ConfigKey QUIET = new ConfigKey("coord.quiet", "false", "print nothing on start");
    static final ConfigKey PORT_FILE = new ConfigKey("coord.port-file", null, "file to write the port to");

    /** Every key this class reads, for the documentation check. */
    static final List<ConfigKey> KEYS = List.of(Settings.COORD_PORT, BIND, INTERVAL, CKPT_DIR, BARRIER_TIMEOUT,
            EXIT_ON_LAST, EXIT_AFTER_CKPT, QUIET, PORT_FILE);

    /**
     * @param flags the options given, by key name (a switch given is {@code "true"})
     * @throws CliException (exit 2) for a value out of range or of the wrong type, wherever it came from
     */
    static CoordinatorSettings resolve(Map<String, String> flags, Map<String, String> env, Path cwd,
                                       Optional<Path> configFile) {
        try {
            StasisConfig config = StasisConfig.load(flags, env, configFile.map(cwd::resolve));
            int port = config.getInt(Settings.COORD_PORT);
            long interval = seconds(config, INTERVAL);
            long barrierTimeout = seconds(config, BARRIER_TIMEOUT);
            if (port < 0 || port > 65535) {
                throw new CliException(ExitCodes.USAGE, "the coordinator port must be 0..65535, not " + port);
            }
            if (barrierTimeout == 0) {
                throw new CliException(ExitCodes.USAGE, "the barrier timeout must be at least 1 s");
            }
            return new CoordinatorSettings(config.get(BIND), port, interval,
                    config.get(CKPT_DIR.name()).map(d -> cwd.resolve(d).normalize()),
                    config.getBoolean(EXIT_ON_LAST), config.getBoolean(EXIT_AFTER_CKPT), config.getBoolean(QUIET),
                    barrierTimeout, config.get(PORT_FILE.name()).map(f -> cwd.resolve(f).normalize()));
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /** A whole number of seconds that fits a u32 of the protocol. */
    static long seconds(StasisConfig config, ConfigKey key) {
        String value = config.get(key).strip();
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 0 && seconds <= 0xFFFF_FFFFL) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(ExitCodes.USAGE, key.name() + " (" + key.environmentName() + "): \"" + value
                + "\" is not a number of seconds 0..4294967295");
    }
}
