/**
 * The {@code stasis} command line. bin/stasis runs it on the class path; on the module path it works the
 * same ({@code java -p lib -m io.stasis.cli/io.stasis.cli.Main}), finding built-in plugins through
 * {@code uses}. Third-party plugins are loaded by PF4J into unnamed modules either way.
 */
module io.stasis.cli {
    requires io.stasis.api;
    requires io.stasis.coordinator;
    requires info.picocli;
    requires com.sun.jna;
    requires java.logging;
    requires jdk.unsupported;

    uses io.stasis.api.plugin.ResourcePlugin;

    /* picocli sets the annotated option fields; JNA implements LibC with a proxy */
    opens io.stasis.cli to info.picocli, com.sun.jna;
    opens io.stasis.cli.batch to info.picocli;
}
