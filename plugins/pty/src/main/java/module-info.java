/** Built-in plugin pty. META-INF/services names the same provider for the class path. */
module io.stasis.plugin.pty {
    requires io.stasis.api;

    provides io.stasis.api.plugin.ResourcePlugin with io.stasis.plugin.pty.PtyPlugin;
}
