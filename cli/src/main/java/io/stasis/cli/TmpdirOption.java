package io.stasis.cli;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code --tmpdir}: where coordinator state and logs go. Everything downstream (state directories, detached
 * coordinators, launched and restarted programs) reads {@code STASIS_TMPDIR}, so the option and the config
 * key {@code tmpdir} are turned into that variable before the command runs: option, then the variable
 * itself, then the config file.
 */
final class TmpdirOption {

    static final ConfigKey TMPDIR = new ConfigKey("tmpdir", null,
            "directory for coordinator state and logs (default: $TMPDIR, then /tmp)");
    static final String VARIABLE = TMPDIR.environmentName();

    private TmpdirOption() {
    }

    /**
     * {@code ctx} with {@code STASIS_TMPDIR} set as {@code args} and the config file say. A command line that
     * does not parse is left alone: running it reports the error.
     *
     * @param parser a command line used only to read {@code args}
     */
    static CliContext apply(CliContext ctx, String[] args, CommandLine parser) {
        ParseResult parsed;
        try {
            parsed = parser.parseArgs(args);
        } catch (ParameterException e) {
            return ctx;
        }
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        Map<String, String> flags = option(parsed, "--tmpdir").map(v -> Map.of(TMPDIR.name(), v)).orElse(Map.of());
        Optional<Path> config = option(parsed, "--config").map(Path::of).map(ctx.workingDirectory()::resolve);
        try {
            return StasisConfig.load(flags, ctx.env(), config).get(TMPDIR.name())
                    .map(dir -> ctx.withEnvironment(VARIABLE, ctx.workingDirectory().resolve(dir).normalize().toString()))
                    .orElse(ctx);
        } catch (ConfigException e) {
            return ctx;
        }
    }

    private static Optional<String> option(ParseResult parsed, String name) {
        return parsed.hasMatchedOption(name)
                ? Optional.ofNullable(parsed.matchedOption(name).getValue()).map(Object::toString)
                : Optional.empty();
    }
}
