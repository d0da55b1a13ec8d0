package io.stasis.api.config;

import java.util.regex.Pattern;

/**
 * A configuration key and its default, as a plugin or the core declares it.
 *
 * @param name         lower case, words separated by dots or dashes: {@code coord.port}, {@code write-threads}
 * @param defaultValue the value when nothing sets it, or null for "unset"
 */
public record ConfigKey(String name, String defaultValue, String description) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+([.-][a-z0-9]+)*");

    public ConfigKey {
        checkName(name);
    }

    /** The environment variable that sets this key: {@code coord.port} → {@code STASIS_COORD_PORT}. */
    public String environmentName() {
        return environmentName(name);
    }

    static String environmentName(String name) {
        return "STASIS_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad configuration key name: " + name);
        }
    }
}
