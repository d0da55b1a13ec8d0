package io.stasis.coordinator.protocol;

import java.util.Optional;

/** The frame types of docs/protocol.md, with the reader of each body. */
public enum MessageType {
    CHALLENGE(1, Challenge::read),
    AUTH(2, Auth::read),
    AUTH_OK(3, AuthOk::read),
    ERROR(4, ErrorReply::read),
    REGISTER(16, Register::read),
    WELCOME(17, Welcome::read),
    CHECKPOINT(18, Checkpoint::read),
    BARRIER(19, Barrier::read),
    RELEASE(20, Release::read),
    ABORT(21, Abort::read),
    CKPT_RESULT(22, CkptResult::read),
    PROGRESS(23, Progress::read),
    KILL(24, Kill::read),
    BYE(25, Bye::read),
    UNRESTORED(26, Unrestored::read),
    NAME_PUBLISH(32, NamePublish::read),
    NAME_LOOKUP(33, NameLookup::read),
    NAME_VALUE(34, NameValue::read),
    COMMAND(48, Command::read),
    COMMAND_RESULT(49, CommandResult::read);

    private final int code;
    private final BodyDecoder decoder;

    MessageType(int code, BodyDecoder decoder) {
        this.code = code;
        this.decoder = decoder;
    }

    public int code() {
        return code;
    }

    Message read(BodyReader in) throws ProtocolException {
        return decoder.read(in);
    }

    public static Optional<MessageType> of(int code) {
        for (MessageType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
