package io.stasis.coordinator.protocol;

/**
 * UNRESTORED (26), process → coordinator: {@code u32 generation, str what}. One resource of the process that
 * the checkpoint of that generation saves but nothing will restore ({@code "fd 5 socket:[TCP …]"}). Sent only
 * to a coordinator whose CHALLENGE announced revision {@link Protocol#REVISION_UNRESTORED} or later.
 */
public record Unrestored(long generation, String what) implements Message {

    @Override
    public MessageType type() {
        return MessageType.UNRESTORED;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u32(generation).str(what);
    }

    static Unrestored read(BodyReader in) throws ProtocolException {
        return new Unrestored(in.u32(), in.str());
    }
}
