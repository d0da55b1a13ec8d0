/**
 * The coordinator (Netty) and its client. {@code engine} and {@code netty} are the server's insides;
 * the rest is what the command line and the tests use.
 */
module io.stasis.coordinator {
    requires transitive io.stasis.api;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.transport;

    exports io.stasis.coordinator;
    exports io.stasis.coordinator.client;
    exports io.stasis.coordinator.protocol;
    exports io.stasis.coordinator.report;
    exports io.stasis.coordinator.script;
    exports io.stasis.coordinator.state;
}
