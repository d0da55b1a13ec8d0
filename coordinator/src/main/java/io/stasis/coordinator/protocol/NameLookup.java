package io.stasis.coordinator.protocol;

/** NAME_LOOKUP (33), process → coordinator: {@code str key}. */
public record NameLookup(String key) implements Message {

    @Override
    public MessageType type() {
        return MessageType.NAME_LOOKUP;
    }

    @Override
    public void writeBody(BodyWriter out) {
        out.str(key);
    }

    static NameLookup read(BodyReader in) throws ProtocolException {
        return new NameLookup(in.str());
    }
}
