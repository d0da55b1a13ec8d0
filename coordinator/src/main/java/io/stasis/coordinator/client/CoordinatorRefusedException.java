package io.stasis.coordinator.client;

/** A coordinator answered but would not talk to us (bad secret, other version) or broke the protocol. */
public final class CoordinatorRefusedException extends CoordinatorException {

    private static final long serialVersionUID = 1L;

    public CoordinatorRefusedException(String message) {
        super(message);
    }

    public CoordinatorRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
