package io.stasis.coordinator.client;

/** Nobody answered: connection refused, timed out, or closed under us. */
public final class CoordinatorUnreachableException extends CoordinatorException {

    private static final long serialVersionUID = 1L;

    public CoordinatorUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
