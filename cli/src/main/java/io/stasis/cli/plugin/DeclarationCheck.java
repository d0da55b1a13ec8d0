package io.stasis.cli.plugin;

import io.stasis.api.config.ConfigKey;
import io.stasis.api.plugin.CoordinatorService;
import io.stasis.api.plugin.ResourcePlugin;
import io.stasis.api.text.ErrorText;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a plugin's declarations can be used: an id that fits config keys, images and the fragment's
 * descriptor, settings and coordinator names under its own id, a fragment that is a plain file name.
 * Plugin code may be a third party's, so anything it throws is a problem too, not a crash.
 */
final class DeclarationCheck {

    static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern FRAGMENT = Pattern.compile("[A-Za-z0-9._+-]+\\.so");
    /** First words of the core's own settings: a plugin with such an id could shadow them. */
    private static final Set<String> RESERVED = Set.of("core", "coord", "ckpt", "debug", "plugins", "restart", "stasis",
            "tmpdir");

    private DeclarationCheck() {
    }

    /** The first problem, as one line, or empty when the plugin is usable. */
    static Optional<String> problem(ResourcePlugin plugin) {
        try {
            return check(plugin);
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("its declarations fail: " + ErrorText.of(e));
        }
    }

    private static Optional<String> check(ResourcePlugin plugin) {
        String id = plugin.id();
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.of("id '" + id + "' is not lower case letters and digits with single dashes");
        }
        if (RESERVED.contains(id)) {
            return Optional.of("id '" + id + "' is reserved for the core's settings");
        }
        String description = plugin.description();
        if (description == null || description.isBlank() || description.contains("\n")) {
            return Optional.of("its description must be one non-empty line");
        }
        Optional<String> fragment = plugin.fragment();
        if (fragment == null || fragment.isPresent() && !FRAGMENT.matcher(fragment.get()).matches()) {
            return Optional.of("fragment " + fragment + " is not the file name of a shared library (*.so)");
        }
        List<String> requires = plugin.requires();
        for (String required : requires) {
            if (required == null || !ID.matcher(required).matches() || required.equals(id)) {
                return Optional.of("it requires '" + required + "', which is not another plugin's id");
            }
        }
        Set<String> keys = new HashSet<>();
        for (ConfigKey key : plugin.configKeys()) {
            if (!key.name().startsWith(id + ".")) {
                return Optional.of("setting '" + key.name() + "' is not named '" + id + ".<name>'");
            }
            if (!keys.add(key.name())) {
                return Optional.of("setting '" + key.name() + "' is declared twice");
            }
        }
        for (CoordinatorService service : plugin.coordinatorServices()) {
            if (!service.name().startsWith(id + ":") || service.name().length() == id.length() + 1) {
                return Optional.of("coordinator name '" + service.name() + "' does not start with '" + id + ":'");
            }
        }
        if (plugin.sectionDecoder() == null) {
            return Optional.of("sectionDecoder() returned null instead of an Optional");
        }
        return Optional.empty();
    }
}
