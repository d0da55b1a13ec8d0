package io.stasis.cli.batch;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import io.stasis.cli.CliException;
import io.stasis.cli.ExitCodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code stasis batch} was asked to do, each setting from its option, else its variable, else the config
 * file, else its default (docs/environment.md).
 *
 * @param checkpointDir absolute; holds one {@code generation-<n>/} directory per checkpoint
 * @param interval      seconds between checkpoints, 0 for none
 * @param signals       the eviction signals, by name without {@code SIG}
 * @param exitCode      the exit code after a checkpoint taken to be rerun (HTCondor's checkpoint_exit_code)
 */
public record BatchSettings(Path checkpointDir, long interval, List<String> signals, int exitCode, Mode mode) {

    /** Which batch system's protocol to follow. */
    public enum Mode { PLAIN, SLURM, CONDOR }

    static final ConfigKey CKPT_DIR = new ConfigKey("batch.ckpt-dir", "stasis-ckpt",
            "directory of the checkpoint generations of stasis batch, relative to the job's directory");
    static final ConfigKey INTERVAL = new ConfigKey("ckpt.interval", "0", "seconds between checkpoints, 0 for none");
    static final ConfigKey SIGNALS = new ConfigKey("batch.signals", "TERM,USR1,INT",
            "signals on which stasis batch checkpoints and stops");
    static final ConfigKey EXIT_CODE = new ConfigKey("batch.exit-code", "85",
            "exit code of stasis batch after a checkpoint taken to be rerun (checkpoint_exit_code)");

    /** Every key this class reads, for the documentation check. */
    public static final List<ConfigKey> KEYS = List.of(CKPT_DIR, INTERVAL, SIGNALS, EXIT_CODE);

    /** Signals the JVM keeps for itself or that cannot be caught. */
    private static final List<String> UNUSABLE = List.of("KILL", "STOP", "QUIT", "SEGV", "BUS", "FPE", "ILL", "USR2");

    public BatchSettings {
        signals = List.copyOf(signals);
    }

    /** @param flags the options given, by key name */
    static BatchSettings resolve(Map<String, String> flags, Map<String, String> env, Path cwd,
                                 Optional<Path> configFile, Mode mode) {
        try {
            StasisConfig config = StasisConfig.load(flags, env, configFile.map(cwd::resolve));
            Path dir = cwd.resolve(config.get(CKPT_DIR)).normalize();
            long interval = number(config, INTERVAL, 0, 0xFFFF_FFFFL);
            int exit = (int) number(config, EXIT_CODE, 1, 255);
            List<String> signals = new ArrayList<>();
            for (String s : config.get(SIGNALS).split(",")) {
                String name = s.strip().toUpperCase(Locale.ROOT);
                name = name.startsWith("SIG") ? name.substring(3) : name;
                if (name.isEmpty() || !name.matches("[A-Z0-9]+") || UNUSABLE.contains(name)) {
                    throw new CliException(ExitCodes.USAGE, SIGNALS.name() + " (" + SIGNALS.environmentName()
                            + "): \"" + s.strip() + "\" is not a signal stasis batch can catch");
                }
                if (!signals.contains(name)) {
                    signals.add(name);
                }
            }
            return new BatchSettings(dir, interval, signals, exit, mode);
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    static Map<String, String> flags(Path dir, Long interval, String signals, Integer exitCode) {
        Map<String, String> flags = new HashMap<>();
        if (dir != null) {
            flags.put(CKPT_DIR.name(), dir.toString());
        }
        if (interval != null) {
            flags.put(INTERVAL.name(), String.valueOf(interval));
        }
        if (signals != null) {
            flags.put(SIGNALS.name(), signals);
        }
        if (exitCode != null) {
            flags.put(EXIT_CODE.name(), String.valueOf(exitCode));
        }
        return flags;
    }

    private static long number(StasisConfig config, ConfigKey key, long min, long max) {
        String value = config.get(key).strip();
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(ExitCodes.USAGE, key.name() + " (" + key.environmentName() + "): \"" + value
                + "\" is not a number " + min + ".." + max);
    }
}
