package io.stasis.cli.plugin;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.pf4j.DefaultExtensionFactory;
import org.pf4j.ExtensionFactory;

/**
 * PF4J's extension factory, remembering why an extension could not be created: PF4J itself only logs it,
 * and "the plugin has no extension" would hide the real cause from the user.
 */
final class RecordingExtensionFactory implements ExtensionFactory {

    private final ExtensionFactory delegate = new DefaultExtensionFactory();
    private final Map<ClassLoader, String> failures = new HashMap<>();

    @Override
    public <T> T create(Class<T> extensionClass) {
        try {
            return delegate.create(extensionClass);
        } catch (RuntimeException | LinkageError e) {
            failures.put(extensionClass.getClassLoader(), "cannot create " + extensionClass.getName() + ": "
                    + Failures.describe(e));
            throw e;
        }
    }

    /** Why an extension of the plugin with this class loader failed, if one did. */
    Optional<String> failure(ClassLoader pluginClassLoader) {
        return Optional.ofNullable(failures.get(pluginClassLoader));
    }
}
