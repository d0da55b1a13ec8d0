package io.stasis.coordinator.protocol;

/** RELEASE (20), coordinator → process: {@code str name, u32 generation}. */
public record Release(String name, long generation) implements Message {

    @Override
    public MessageType type() {
        return MessageType.RELEASE;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.str(name).u32(generation);
    }

    static Release read(BodyReader in) throws ProtocolException {
        return new Release(in.str(), in.u32());
    }
}
