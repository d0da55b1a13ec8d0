package io.stasis.cli;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import io.stasis.api.plugin.PathMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stasis restart --path-map OLD=NEW} (DMTCP's {@code DMTCP_ORIGINAL_PATH_PREFIX} and
 * {@code DMTCP_NEW_PATH_PREFIX}): the images record the working directory, open files, fifos and file mappings
 * by absolute path; after the directory holding them moved, a path under OLD is used under NEW, by the plugins'
 * checks here, by the restarter and by the restored processes ({@link PathMap} says how paths match).
 */
final class RestartPathMap {

    static final ConfigKey KEY = new ConfigKey("restart.path-map", null,
            "OLD=NEW entries separated by ':': saved paths under OLD are used under NEW at restart");

    private RestartPathMap() {
    }

    /**
     * The {@code --path-map} options if any, else {@code STASIS_RESTART_PATH_MAP}, else {@code restart.path-map}
     * (entries separated by {@code :}); relative paths are taken from {@code cwd}.
     *
     * @throws CliException exit 2 for an entry that is not OLD=NEW
     */
    static PathMap resolve(List<String> flags, Map<String, String> env, Path cwd, Optional<Path> configFile) {
        List<String> specs;
        if (flags != null && !flags.isEmpty()) {
            specs = flags;
        } else {
            try {
                specs = StasisConfig.load(Map.of(), env, configFile.map(cwd::resolve)).get(KEY.name())
                        .map(v -> Arrays.stream(v.split(":")).filter(s -> !s.isBlank()).toList()).orElse(List.of());
            } catch (ConfigException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }
        List<String> absolute = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new CliException(ExitCodes.USAGE, "--path-map wants OLD=NEW: '" + spec + "'");
            }
            absolute.add(cwd.resolve(spec.substring(0, eq)).normalize() + "="
                    + cwd.resolve(spec.substring(eq + 1)).normalize());
        }
        try {
            return PathMap.parse(absolute);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
