package io.stasis.coordinator.protocol;

/** NAME_PUBLISH (32), process → coordinator: {@code str key, u32 length, u8 value[length]}. */
public record NamePublish(String key, Bytes value) implements Message {

    @Override
    public MessageType type() {
        return MessageType.NAME_PUBLISH;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.str(key).blob(value);
    }

    static NamePublish read(BodyReader in) throws ProtocolException {
        return new NamePublish(in.str(), in.blob());
    }
}
