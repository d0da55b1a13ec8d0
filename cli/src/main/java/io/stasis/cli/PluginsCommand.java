package io.stasis.cli;

import io.stasis.api.plugin.ResourcePlugin;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code stasis plugins}: the built-in plugins, whether they are on by default, and their native fragments. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the plugins: id, enabled by default, native fragment (and whether it is installed), "
                + "description.")
final class PluginsCommand implements Callable<Integer> {

    private final CliContext ctx;

    PluginsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<ResourcePlugin> plugins = new ArrayList<>(ctx.plugins());
        plugins.sort(Comparator.comparing(ResourcePlugin::id));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "DEFAULT", "FRAGMENT", "INSTALLED", "DESCRIPTION"});
        for (ResourcePlugin p : plugins) {
            String fragment = p.fragment().orElse("-");
            String installed = p.fragment()
                    .map(f -> ctx.installation().map(i -> Files.isRegularFile(i.fragment(f)) ? "yes" : "no").orElse("?"))
                    .orElse("-");
            rows.add(new String[] {p.id(), p.enabledByDefault() ? "on" : "off", fragment, installed, p.description()});
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            ctx.out().println(String.format(Locale.ROOT, "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2]
                    + "s  %-" + widths[3] + "s  %s", (Object[]) row).stripTrailing());
        }
        if (ctx.installation().isEmpty()) {
            ctx.out().println("(" + Installation.HOME_PROPERTY + " is not set: installed fragments unknown)");
        }
        return ExitCodes.OK;
    }
}
