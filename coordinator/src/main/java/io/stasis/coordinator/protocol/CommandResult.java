package io.stasis.coordinator.protocol;

/** COMMAND_RESULT (49), coordinator → command client: {@code u16 status, str text}; status 0 is success. */
public record CommandResult(int status, String text) implements Message {

    /** Status of a command that failed (e.g. a checkpoint that aborted). */
    public static final int FAILED = 1;
    /** Status of a command the coordinator does not understand. */
    public static final int BAD_REQUEST = 2;

    public static CommandResult ok(String text) {
        return new CommandResult(0, text);
    }

    public static CommandResult failed(String text) {
        return new CommandResult(FAILED, text);
    }

    public boolean ok() {
        return status == 0;
    }

    @Override
    public MessageType type() {
        return MessageType.COMMAND_RESULT;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u16(status).str(text);
    }

    static CommandResult read(BodyReader in) throws ProtocolException {
        return new CommandResult(in.u16(), in.str());
    }
}
