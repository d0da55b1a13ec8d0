package io.stasis.coordinator.protocol;

/** BARRIER (19), process → coordinator: {@code str name, u32 generation}. */
public record Barrier(String name, long generation) implements Message {

    @Override
    public MessageType type() {
        return MessageType.BARRIER;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.str(name).u32(generation);
    }

    static Barrier read(BodyReader in) throws ProtocolException {
        return new Barrier(in.str(), in.u32());
    }
}
