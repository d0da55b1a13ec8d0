package io.stasis.coordinator.protocol;

/**
 * REGISTER (16), process → coordinator: {@code str unique_id, u32 pid, u32 real_pid, str host, str program,
 * u16 state, u32 generation, u32 computation_size, str computation_id, str checkpoint_dir}.
 */
public record Register(String uniqueId, long pid, long realPid, String host, String program, int state,
                       long generation, long computationSize, String computationId, String checkpointDir)
        implements Message {

    @Override
    public MessageType type() {
        return MessageType.REGISTER;
    }

    public boolean restarting() {
        return state == Protocol.STATE_RESTARTING;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.str(uniqueId).u32(pid).u32(realPid).str(host).str(program).u16(state)
                .u32(generation).u32(computationSize).str(computationId).str(checkpointDir);
    }

    static Register read(BodyReader in) throws ProtocolException {
        return new Register(in.str(), in.u32(), in.u32(), in.str(), in.str(), in.u16(), in.u32(), in.u32(), in.str(),
                in.str());
    }
}
