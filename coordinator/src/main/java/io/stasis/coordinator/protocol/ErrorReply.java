package io.stasis.coordinator.protocol;

/** ERROR (4), coordinator → client, just before it closes the connection: {@code u16 code, str message}. */
public record ErrorReply(int code, String message) implements Message {

    public ErrorReply(ErrorCode code, String message) {
        this(code.code(), message);
    }

    @Override
    public MessageType type() {
        return MessageType.ERROR;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.u16(code).str(message);
    }

    static ErrorReply read(BodyReader in) throws ProtocolException {
        return new ErrorReply(in.u16(), in.str());
    }
}
