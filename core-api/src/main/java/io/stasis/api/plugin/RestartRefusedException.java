package io.stasis.api.plugin;

/**
 * Thrown by {@link ResourcePlugin#checkBeforeRestart} when the images must not be restarted as things are:
 * {@code stasis restart} then exits with code 5 and shows the message as one line after
 * "stasis: cannot restart: ". The message names what is wrong and, when there is one, the way out.
 */
public final class RestartRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RestartRefusedException(String message) {
        super(message);
    }
}
