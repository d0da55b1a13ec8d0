package io.stasis.coordinator.protocol;

/** CHALLENGE (1), coordinator → client: {@code u16 version, u16 revision, u8 nonce[32]}. */
public record Challenge(int version, int revision, Bytes nonce) implements Message {

    public Challenge {
        if (nonce.length() != Protocol.NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be " + Protocol.NONCE_LENGTH + " bytes");
        }
    }

    /** This coordinator's challenge: its version and revision. */
    public Challenge(int version, Bytes nonce) {
        this(version, Protocol.REVISION, nonce);
    }

    @Override
    public MessageType type() {
        return MessageType.CHALLENGE;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u16(version).u16(revision).raw(nonce.toArray());
    }

    static Challenge read(BodyReader in) throws ProtocolException {
        return new Challenge(in.u16(), in.u16(), in.raw(Protocol.NONCE_LENGTH));
    }
}
