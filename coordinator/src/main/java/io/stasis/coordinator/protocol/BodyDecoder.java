package io.stasis.coordinator.protocol;

/** Reads the body of one message type. */
@FunctionalInterface
interface BodyDecoder {
    Message read(BodyReader in) throws ProtocolException;
}
