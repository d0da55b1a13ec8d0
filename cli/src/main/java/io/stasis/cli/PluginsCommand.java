package io.stasis.cli;

import io.stasis.cli.plugin.InstalledPlugin;
import io.stasis.cli.plugin.PluginSelection;
import io.stasis.cli.plugin.PluginToggles;
import io.stasis.cli.plugin.Toggle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stasis plugins}: every plugin, built-in or from the plugins directory, whether a launch with the
 * same flags, variables and config would enable it, its fragment, what it virtualizes and its settings.
 * Broken plugins are listed too, and make it exit 1.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the plugins: id, version, enabled (with these options), native fragment, what it "
                + "virtualizes, settings. Exits 1 when a plugin is broken or the options do not work together.")
final class PluginsCommand implements Callable<Integer> {

    /** Why a plugin without a native fragment is never enabled. */
    static final String NO_FRAGMENT = "no fragment: restores nothing yet";

    private final CliContext ctx;

    @Mixin
    PluginOptions pluginOptions;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: $STASIS_CONFIG, else ~/.config/stasis/stasis.properties when "
                    + "it exists).")
    Path config;

    @Option(names = "--json", description = "Print a JSON document instead of text.")
    boolean json;

    PluginsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** One plugin as a launch would see it. */
    record Listed(InstalledPlugin plugin, boolean enabled, String why) {
    }

    @Override
    public Integer call() {
        LoadedPlugins loaded = pluginOptions.load(ctx, Optional.ofNullable(config));
        PluginToggles toggles = pluginOptions.toggles(ctx, loaded);
        Optional<PluginSelection> selection;
        Optional<String> problem;
        try {
            selection = Optional.of(PluginSelection.resolve(loaded.catalog(), toggles, loaded.config()));
            problem = Optional.empty();
        } catch (CliException e) {
            selection = Optional.empty();
            problem = Optional.of(e.getMessage());
        }
        List<Listed> listed = new ArrayList<>();
        for (InstalledPlugin p : loaded.catalog().plugins()) {
            Toggle toggle = toggles.of(p.id(), p.plugin().enabledByDefault());
            boolean restores = PluginSelection.restoresSomething(p);
            boolean selected = restores && selection.map(s -> s.enabled().contains(p)).orElse(toggle.enabled());
            String why = !restores ? NO_FRAGMENT
                    : selected && !toggle.enabled() ? "required by another plugin" : toggle.origin();
            listed.add(new Listed(p, selected, why));
        }
        PluginListing listing = new PluginListing(listed, loaded.catalog().broken(), loaded.config(),
                ctx.installation().isPresent());
        ctx.out().print(json ? listing.json(problem) + "\n" : listing.text());
        loaded.catalog().broken().forEach(b -> ctx.err().println("stasis: " + b.message()));
        problem.filter(p -> loaded.catalog().broken().stream().noneMatch(b -> p.startsWith(b.message())))
                .ifPresent(p -> ctx.err().println("stasis: " + p));
        return loaded.catalog().broken().isEmpty() && problem.isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
    }
}
