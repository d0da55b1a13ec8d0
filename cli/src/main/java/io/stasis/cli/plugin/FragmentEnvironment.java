package io.stasis.cli.plugin;

import io.stasis.api.config.StasisConfig;
import io.stasis.cli.CliException;
import io.stasis.cli.ExitCodes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code STASIS_<ID>_*} variables the enabled plugins hand to their fragments. A plugin may only set
 * variables under its own prefix, so no plugin can change the core's ({@code STASIS_SECRET}, …) or
 * another plugin's settings.
 */
final class FragmentEnvironment {

    private FragmentEnvironment() {
    }

    /** {@code pid-virt} → {@code STASIS_PID_VIRT_}. */
    static String prefix(String id) {
        return "STASIS_" + id.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
    }

    static Map<String, String> of(List<InstalledPlugin> enabled, StasisConfig config) {
        Map<String, String> env = new TreeMap<>();
        for (InstalledPlugin plugin : enabled) {
            Map<String, String> own;
            try {
                own = plugin.plugin().fragmentEnvironment(config);
            } catch (RuntimeException | LinkageError e) {
                throw new CliException(ExitCodes.ERROR, "plugin '" + plugin.id() + "' cannot compute its "
                        + "fragment's variables: " + Failures.describe(e), e);
            }
            String prefix = prefix(plugin.id());
            for (Map.Entry<String, String> e : own.entrySet()) {
                if (!e.getKey().startsWith(prefix) || e.getKey().length() == prefix.length()
                        || !e.getKey().matches("[A-Z0-9_]+")) {
                    throw new CliException(ExitCodes.ERROR, "plugin '" + plugin.id() + "' sets the variable "
                            + e.getKey() + " for its fragment; its variables must be named " + prefix + "*");
                }
                if (e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
                    throw new CliException(ExitCodes.ERROR, "plugin '" + plugin.id() + "' sets " + e.getKey()
                            + " to a value that cannot be put in the environment");
                }
                env.put(e.getKey(), e.getValue());
            }
        }
        return env;
    }
}
