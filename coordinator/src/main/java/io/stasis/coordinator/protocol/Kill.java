package io.stasis.coordinator.protocol;

/** KILL (24), coordinator → process, empty: the process exits with status 137. */
public record Kill() implements Message {

    @Override
    public MessageType type() {
        return MessageType.KILL;
    }

    @Override
    public void writeBody(BodyWriter out) {
        // empty body
    }

    static Kill read(BodyReader in) {
        return new Kill();
    }
}
