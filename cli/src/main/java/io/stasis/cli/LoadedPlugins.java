package io.stasis.cli;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.StasisConfig;
import io.stasis.cli.plugin.PluginCatalog;
import io.stasis.cli.plugin.PluginDiscovery;
import io.stasis.cli.plugin.PluginLocations;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration a command's plugins see, and the plugins themselves: built-in ones and those of the
 * plugins directory.
 *
 * @param config command-line settings ({@code --set}, {@code --plugins-dir}), then {@code STASIS_*}
 *               variables, then the config file
 */
record LoadedPlugins(StasisConfig config, PluginCatalog catalog) {

    /**
     * @param configFile  {@code --config}, or empty for the default file
     * @param commandLine settings given as options, by key
     * @throws CliException (usage) an unreadable config file or a malformed key; (error) an unreadable
     *                      plugins directory
     */
    static LoadedPlugins load(CliContext ctx, Optional<Path> configFile, Map<String, String> commandLine) {
        StasisConfig config;
        try {
            config = StasisConfig.load(commandLine, ctx.env(), configFile.map(ctx.workingDirectory()::resolve));
        } catch (ConfigException | IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        PluginLocations locations = PluginLocations.resolve(config, ctx.env(), ctx.workingDirectory());
        try {
            PluginCatalog catalog = PluginDiscovery.discover(ctx.plugins(),
                    ctx.installation().map(Installation::nativeLibDir), StasisVersion.current(), locations);
            return new LoadedPlugins(config, catalog);
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCodes.ERROR, e.getMessage(), e);
        }
    }
}
