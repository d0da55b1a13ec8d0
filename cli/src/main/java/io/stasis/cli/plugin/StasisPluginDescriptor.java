package io.stasis.cli.plugin;

import java.util.Optional;
import org.pf4j.DefaultPluginDescriptor;

/**
 * PF4J's descriptor plus the one key Stasis adds: {@code plugin.native} ({@code Plugin-Native} in a
 * jar's manifest), the file name of the plugin's fragment in its {@code native/} directory.
 */
final class StasisPluginDescriptor extends DefaultPluginDescriptor {

    static final String NATIVE_PROPERTY = "plugin.native";
    static final String NATIVE_ATTRIBUTE = "Plugin-Native";

    private String nativeFragment;

    Optional<String> nativeFragment() {
        return Optional.ofNullable(nativeFragment).map(String::strip).filter(s -> !s.isEmpty());
    }

    void nativeFragment(String fileName) {
        this.nativeFragment = fileName;
    }
}
