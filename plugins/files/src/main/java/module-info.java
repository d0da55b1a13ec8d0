/** Built-in plugin files. META-INF/services names the same provider for the class path. */
module io.stasis.plugin.files {
    requires io.stasis.api;

    provides io.stasis.api.plugin.ResourcePlugin with io.stasis.plugin.files.FilesPlugin;
}
