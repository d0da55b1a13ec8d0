package io.stasis.coordinator.protocol;

/** AUTH (2), client → coordinator: {@code u16 version, u16 role, u8 mac[32]}. */
public record Auth(int version, int role, Bytes mac) implements Message {

    public Auth {
        if (mac.length() != Protocol.MAC_LENGTH) {
            throw new IllegalArgumentException("mac must be " + Protocol.MAC_LENGTH + " bytes");
        }
    }

    @Override
    public MessageType type() {
        return MessageType.AUTH;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u16(version).u16(role).raw(mac.toArray());
    }

    static Auth read(BodyReader in) throws ProtocolException {
        return new Auth(in.u16(), in.u16(), in.raw(Protocol.MAC_LENGTH));
    }
}
