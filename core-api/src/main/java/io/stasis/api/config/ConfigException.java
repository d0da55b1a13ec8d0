package io.stasis.api.config;

/** The configuration cannot be used: an unreadable file, a value of the wrong type. One line, naming the culprit. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
