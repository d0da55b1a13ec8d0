package io.stasis.coordinator.protocol;

/** CHALLENGE (1), coordinator → client: {@code u16 version, u16 0, u8 nonce[32]}. */
public record Challenge(int version, Bytes nonce) implements Message {

    public Challenge {
        if (nonce.length() != Protocol.NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be " + Protocol.NONCE_LENGTH + " bytes");
        }
    }

    @Override
    public MessageType type() {
        return MessageType.CHALLENGE;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u16(version).u16(0).raw(nonce.toArray());
    }

    static Challenge read(BodyReader in) throws ProtocolException {
        int version = in.u16();
        in.u16();
        return new Challenge(version, in.raw(Protocol.NONCE_LENGTH));
    }
}
