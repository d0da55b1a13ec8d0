package io.stasis.coordinator.protocol;

/** PROGRESS (23), process → coordinator and coordinator → command: {@code u32 generation, u64 bytes_done, u64 bytes_total}. */
public record Progress(long generation, long bytesDone, long bytesTotal) implements Message {

    @Override
    public MessageType type() {
        return MessageType.PROGRESS;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u32(generation).u64(bytesDone).u64(bytesTotal);
    }

    static Progress read(BodyReader in) throws ProtocolException {
        return new Progress(in.u32(), in.u64(), in.u64());
    }
}
