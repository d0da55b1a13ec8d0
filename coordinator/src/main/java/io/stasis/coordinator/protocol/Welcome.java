package io.stasis.coordinator.protocol;

/** WELCOME (17), coordinator → process: {@code u32 process_number, u32 generation, u32 interval_s}. */
public record Welcome(long processNumber, long generation, long intervalSeconds) implements Message {

    @Override
    public MessageType type() {
        return MessageType.WELCOME;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u32(processNumber).u32(generation).u32(intervalSeconds);
    }

    static Welcome read(BodyReader in) throws ProtocolException {
        return new Welcome(in.u32(), in.u32(), in.u32());
    }
}
