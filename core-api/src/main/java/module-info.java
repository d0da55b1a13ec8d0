/**
 * What plugins and the rest of Stasis share: the plugin extension point, configuration, JSON, and the
 * image reader. Third-party plugins compile against this module (and PF4J, which it exposes), though PF4J
 * loads them into unnamed modules.
 */
module io.stasis.api {
    requires transitive org.pf4j;
    requires org.lz4.java;

    exports io.stasis.api.config;
    exports io.stasis.api.json;
    exports io.stasis.api.plugin;
    exports io.stasis.api.text;
    exports io.stasis.image;
}
