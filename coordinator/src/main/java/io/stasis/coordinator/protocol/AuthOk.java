package io.stasis.coordinator.protocol;

/** AUTH_OK (3), coordinator → client: {@code u16 version, u16 0}. */
public record AuthOk(int version) implements Message {

    @Override
    public MessageType type() {
        return MessageType.AUTH_OK;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u16(version).u16(0);
    }

    static AuthOk read(BodyReader in) throws ProtocolException {
        int version = in.u16();
        in.u16();
        return new AuthOk(version);
    }
}
