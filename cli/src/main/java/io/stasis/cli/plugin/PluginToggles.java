package io.stasis.cli.plugin;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.ConfigSource;
import io.stasis.api.config.ConfigValue;
import io.stasis.api.config.StasisConfig;
import io.stasis.cli.CliException;
import io.stasis.cli.ExitCodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether each plugin is on, with the precedence of docs/environment.md, highest first:
 * <ol>
 *   <li>the command line: {@code --enable}, {@code --disable}, {@code --only};</li>
 *   <li>the environment: {@code STASIS_ENABLE} and {@code STASIS_DISABLE} (comma-separated ids), then
 *       {@code STASIS_PLUGINS_<ID>_ENABLED};</li>
 *   <li>the config file: {@code plugins.<id>.enabled};</li>
 *   <li>the plugin's own default.</li>
 * </ol>
 * Naming an unknown plugin, or the same one on and off at one level, is a usage error.
 */
public final class PluginToggles {

    static final String ENABLE_VARIABLE = "STASIS_ENABLE";
    static final String DISABLE_VARIABLE = "STASIS_DISABLE";

    private final ToggleRequest commandLine;
    private final List<String> envEnable;
    private final List<String> envDisable;
    private final StasisConfig config;

    private PluginToggles(ToggleRequest commandLine, List<String> envEnable, List<String> envDisable,
                          StasisConfig config) {
        this.commandLine = commandLine;
        this.envEnable = envEnable;
        this.envDisable = envDisable;
        this.config = config;
    }

    /**
     * @param env    the process environment, for {@code STASIS_ENABLE}/{@code STASIS_DISABLE}
     * @param config resolves {@code plugins.<id>.enabled} from {@code STASIS_PLUGINS_<ID>_ENABLED} and the
     *               config file
     * @param known  the ids that may be named
     * @throws CliException (usage) an unknown id, or one both enabled and disabled at one level
     */
    public static PluginToggles resolve(ToggleRequest commandLine, Map<String, String> env, StasisConfig config,
                                        Set<String> known) {
        List<String> envEnable = list(env.get(ENABLE_VARIABLE));
        List<String> envDisable = list(env.get(DISABLE_VARIABLE));
        check("--enable", commandLine.enable(), "--disable", commandLine.disable(), known);
        check("--only", commandLine.only().orElse(List.of()), "--disable", commandLine.disable(), known);
        check(ENABLE_VARIABLE, envEnable, DISABLE_VARIABLE, envDisable, known);
        return new PluginToggles(commandLine, envEnable, envDisable, config);
    }

    /** The decision for one plugin. */
    public Toggle of(String id, boolean enabledByDefault) {
        if (commandLine.disable().contains(id)) {
            return new Toggle(false, true, "--disable");
        }
        if (commandLine.enable().contains(id)) {
            return new Toggle(true, true, "--enable");
        }
        if (commandLine.only().isPresent()) {
            boolean listed = commandLine.only().get().contains(id);
            return new Toggle(listed, listed, "--only");
        }
        if (envDisable.contains(id)) {
            return new Toggle(false, true, DISABLE_VARIABLE);
        }
        if (envEnable.contains(id)) {
            return new Toggle(true, true, ENABLE_VARIABLE);
        }
        ConfigKey key = enabledKey(id, enabledByDefault);
        ConfigValue value = config.resolve(key).orElseThrow();
        boolean enabled;
        try {
            enabled = config.getBoolean(key);
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        return new Toggle(enabled, value.source() != ConfigSource.DEFAULT, value.origin());
    }

    /** Whether plugins the user never named are off ({@code --only}). */
    public boolean onlyListed() {
        return commandLine.only().isPresent();
    }

    /** {@code plugins.<id>.enabled}; its variable is {@code STASIS_PLUGINS_<ID>_ENABLED}. */
    public static ConfigKey enabledKey(String id, boolean enabledByDefault) {
        return new ConfigKey("plugins." + id + ".enabled", String.valueOf(enabledByDefault),
                "whether plugin " + id + " is enabled");
    }

    private static void check(String onName, Collection<String> on, String offName, Collection<String> off,
                              Set<String> known) {
        List<String> all = new ArrayList<>(on);
        all.addAll(off);
        for (String id : all) {
            if (!known.contains(id)) {
                throw new CliException(ExitCodes.USAGE, "unknown plugin '" + id + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
        for (String id : on) {
            if (off.contains(id)) {
                throw new CliException(ExitCodes.USAGE, "plugin '" + id + "' is both in " + onName + " and in "
                        + offName);
            }
        }
    }

    private static List<String> list(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
    }
}
