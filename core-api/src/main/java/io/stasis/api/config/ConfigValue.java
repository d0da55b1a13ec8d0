package io.stasis.api.config;

/**
 * A resolved value and where it came from.
 *
 * @param origin what set it, for messages: {@code "command line"}, {@code "STASIS_COORD_PORT"},
 *               the properties file's path, or {@code "default"}
 */
public record ConfigValue(String key, String value, ConfigSource source, String origin) {
}
