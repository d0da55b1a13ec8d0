package io.stasis.coordinator.protocol;

/** A frame that breaks docs/protocol.md; {@link #code()} is what the peer is told in {@code ERROR}. */
public final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
