/** Built-in plugin sockets. META-INF/services names the same provider for the class path. */
module io.stasis.plugin.sockets {
    requires io.stasis.api;

    provides io.stasis.api.plugin.ResourcePlugin with io.stasis.plugin.sockets.SocketsPlugin;
}
