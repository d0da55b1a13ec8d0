package io.stasis.cli;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stasis restart --restartdir DIR} (DMTCP's {@code DMTCP_RESTART_DIR}): where the images are now,
 * for instance after the checkpoint directory was copied to another machine. A relative image name is taken
 * from DIR instead of the current directory, and an absolute one that no longer exists is looked for in DIR
 * by its file name, so a restart script written before a migration still works.
 */
final class RestartDirectory {

    static final ConfigKey KEY = new ConfigKey("restart.dir", null,
            "directory stasis restart reads images from (default: the current directory)");

    private RestartDirectory() {
    }

    /** {@code --restartdir}, else {@code STASIS_RESTART_DIR}, else {@code restart.dir}; relative to {@code cwd}. */
    static Optional<Path> resolve(Path flag, Map<String, String> env, Path cwd, Optional<Path> configFile) {
        Map<String, String> flags = flag == null ? Map.of() : Map.of(KEY.name(), flag.toString());
        try {
            return StasisConfig.load(flags, env, configFile.map(cwd::resolve)).get(KEY.name())
                    .map(dir -> cwd.resolve(dir).normalize());
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /** Where the image named {@code argument} is. */
    static Path locate(Path argument, Optional<Path> restartDir, Path cwd) {
        if (!argument.isAbsolute()) {
            return restartDir.orElse(cwd).resolve(argument).normalize();
        }
        if (Files.exists(argument) || restartDir.isEmpty() || argument.getFileName() == null) {
            return argument.normalize();
        }
        Path moved = restartDir.get().resolve(argument.getFileName());
        return Files.exists(moved) ? moved : argument.normalize();
    }
}
