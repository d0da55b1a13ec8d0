package io.stasis.coordinator.protocol;

/**
 * CHECKPOINT (18), coordinator → process: {@code u32 generation, str checkpoint_dir} (empty: the process's
 * own), {@code u32 computation_size} (processes of its computation taking part; recorded in its image and
 * counted again at restart).
 */
public record Checkpoint(long generation, String checkpointDir, long computationSize) implements Message {

    @Override
    public MessageType type() {
        return MessageType.CHECKPOINT;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u32(generation).str(checkpointDir).u32(computationSize);
    }

    static Checkpoint read(BodyReader in) throws ProtocolException {
        return new Checkpoint(in.u32(), in.str(), in.u32());
    }
}
