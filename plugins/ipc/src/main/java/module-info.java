/** Built-in plugin ipc. META-INF/services names the same provider for the class path. */
module io.stasis.plugin.ipc {
    requires io.stasis.api;

    provides io.stasis.api.plugin.ResourcePlugin with io.stasis.plugin.ipc.IpcPlugin;
}
