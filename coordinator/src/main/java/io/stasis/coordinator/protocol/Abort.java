package io.stasis.coordinator.protocol;

/** ABORT (21), coordinator → process: {@code u32 generation, str reason}. */
public record Abort(long generation, String reason) implements Message {

    @Override
    public MessageType type() {
        return MessageType.ABORT;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u32(generation).str(reason);
    }

    static Abort read(BodyReader in) throws ProtocolException {
        return new Abort(in.u32(), in.str());
    }
}
