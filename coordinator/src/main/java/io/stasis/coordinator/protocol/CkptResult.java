package io.stasis.coordinator.protocol;

/**
 * CKPT_RESULT (22), process → coordinator: {@code u32 generation, u16 status (0 ok), str image_path,
 * u64 image_bytes, u64 memory_bytes, u64 duration_us, str message}.
 */
public record CkptResult(long generation, int status, String imagePath, long imageBytes, long memoryBytes,
                         long durationMicros, String message) implements Message {

    @Override
    public MessageType type() {
        return MessageType.CKPT_RESULT;
    }

    public boolean ok() {
        return status == 0;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u32(generation).u16(status).str(imagePath).u64(imageBytes).u64(memoryBytes).u64(durationMicros)
                .str(message);
    }

    static CkptResult read(BodyReader in) throws ProtocolException {
        return new CkptResult(in.u32(), in.u16(), in.str(), in.u64(), in.u64(), in.u64(), in.str());
    }
}
