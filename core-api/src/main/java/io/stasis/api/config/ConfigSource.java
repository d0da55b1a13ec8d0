package io.stasis.api.config;

/** Where a resolved value came from, highest precedence first. */
public enum ConfigSource {
    COMMAND_LINE,
    ENVIRONMENT,
    FILE,
    DEFAULT
}
