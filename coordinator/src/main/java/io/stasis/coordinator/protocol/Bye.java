package io.stasis.coordinator.protocol;

/** BYE (25), process → coordinator: {@code u16 reason (0 exit, 1 exec)}. */
public record Bye(int reason) implements Message {

    @Override
    public MessageType type() {
        return MessageType.BYE;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u16(reason);
    }

    static Bye read(BodyReader in) throws ProtocolException {
        return new Bye(in.u16());
    }
}
