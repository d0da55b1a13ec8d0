/** Built-in plugin pid-virt. META-INF/services names the same provider for the class path. */
module io.stasis.plugin.pidvirt {
    requires io.stasis.api;

    provides io.stasis.api.plugin.ResourcePlugin with io.stasis.plugin.pidvirt.PidVirtPlugin;
}
