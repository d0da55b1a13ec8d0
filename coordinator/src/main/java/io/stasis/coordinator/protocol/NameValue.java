package io.stasis.coordinator.protocol;

/** NAME_VALUE (34), coordinator → process: {@code str key, u16 found, u32 length, u8 value[length]}. */
public record NameValue(String key, boolean found, Bytes value) implements Message {

    public static NameValue notFound(String key) {
        return new NameValue(key, false, Bytes.empty());
    }

    @Override
    public MessageType type() {
        return MessageType.NAME_VALUE;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.str(key).u16(found ? 1 : 0).blob(value);
    }

    static NameValue read(BodyReader in) throws ProtocolException {
        String key = in.str();
        int found = in.u16();
        if (found > 1) {
            throw new ProtocolException(ErrorCode.MALFORMED, "NAME_VALUE found must be 0 or 1");
        }
        return new NameValue(key, found == 1, in.blob());
    }
}
