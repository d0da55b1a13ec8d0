package io.stasis.coordinator.protocol;

/** COMMAND (48), command client → coordinator: {@code u16 verb, u32 argument}. */
public record Command(int verb, long argument) implements Message {

    public Command(Verb verb, long argument) {
        this(verb.code(), argument);
    }

    @Override
    public MessageType type() {
        return MessageType.COMMAND;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u16(verb).u32(argument);
    }

    static Command read(BodyReader in) throws ProtocolException {
        return new Command(in.u16(), in.u32());
    }
}
