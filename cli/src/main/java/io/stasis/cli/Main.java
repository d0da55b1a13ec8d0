package io.stasis.cli;

import io.stasis.api.config.ConfigException;
import io.stasis.api.text.ErrorText;
import io.stasis.cli.batch.BatchCommand;
import io.stasis.coordinator.client.CoordinatorException;
import io.stasis.image.InvalidImageException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code stasis} command line. Every error is one line, {@code stasis: <message>}, with the exit code
 * of docs/environment.md; a stack trace only with {@code STASIS_DEBUG=1}.
 */
public final class Main {

    private final CliContext ctx;

    public Main(CliContext ctx) {
        this.ctx = ctx;
    }

    public static void main(String[] args) {
        CliContext ctx = CliContext.system();
        LogSetup.configure(ctx.env(), System.err);
        System.exit(new Main(ctx).run(args));
    }

    public int run(String... args) {
        CliContext effective = TmpdirOption.apply(ctx, args, commandLine());
        int code = new Main(effective).commandLine().execute(args);
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Root(ctx));
        cl.addSubcommand(new LaunchCommand(ctx));
        cl.addSubcommand(new CheckpointCommand(ctx));
        cl.addSubcommand(new RestartCommand(ctx));
        cl.addSubcommand(new ControlCommand(ctx));
        cl.addSubcommand(new StatusCommand(ctx));
        cl.addSubcommand(new CoordinatorCommand(ctx));
        cl.addSubcommand(new InspectCommand(ctx));
        cl.addSubcommand(new PluginsCommand(ctx));
        cl.addSubcommand(new BatchCommand(ctx));
        // `stasis launch prog --help`: everything from PROGRAM on belongs to the program
        cl.getSubcommands().get("launch").setStopAtPositional(true);
        cl.getSubcommands().get("batch").setStopAtPositional(true);
        cl.setOut(new PrintWriter(ctx.out(), true));
        cl.setErr(new PrintWriter(ctx.err(), true));
        cl.setExecutionExceptionHandler(this::failed);
        cl.setParameterExceptionHandler(this::misused);
        return cl;
    }

    private int failed(Exception e, CommandLine cmd, ParseResult parsed) {
        int code;
        if (e instanceof CliException c) {
            code = c.exitCode();
        } else if (e instanceof CoordinatorException) {
            code = ExitCodes.COORDINATOR;
        } else if (e instanceof InvalidImageException) {
            code = ExitCodes.INVALID_IMAGE;
        } else if (e instanceof ConfigException) {
            code = ExitCodes.USAGE;
        } else {
            code = ExitCodes.ERROR;
        }
        // never a Java class name: an unexpected failure is told in words, its stack trace is for --debug
        ctx.err().println("stasis: " + ErrorText.of(e));
        if (ctx.debug()) {
            e.printStackTrace(ctx.err());
        }
        return code;
    }

    private int misused(ParameterException e, String[] args) {
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        ctx.err().println("stasis: " + e.getMessage() + " (see '" + command + " --help')");
        if (ctx.debug()) {
            e.printStackTrace(ctx.err());
        }
        return ExitCodes.USAGE;
    }

    /** {@code stasis} alone: usage on stderr, exit 2. */
    @Command(name = "stasis", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Transparent checkpoint/restart of Linux processes.",
            synopsisSubcommandLabel = "COMMAND",
            footerHeading = "%nEnvironment:%n",
            footer = {
                "  STASIS_COORD_HOST, STASIS_COORD_PORT, STASIS_CKPT_DIR",
                "      defaults of --coord-host, --coord-port, --ckpt-dir; they win over",
                "      coord.host, coord.port, ckpt.dir in the config file",
                "  STASIS_TMPDIR   --tmpdir: coordinator state and logs (default: tmpdir",
                "      in the config file, $TMPDIR, then /tmp)",
                "  STASIS_CONFIG   --config: the config file (default:",
                "      ~/.config/stasis/stasis.properties)",
                "  every other option has its variable and config key: docs/environment.md",
                "  STASIS_DEBUG=1  log everything, stack traces with errors"},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:success",
                "1:error not covered below",
                "2:bad command line",
                "3:coordinator unreachable, or it refused us",
                "4:image invalid: not a readable image file, wrong version, truncated, checksum mismatch",
                "5:restart failed: the image is valid but this machine cannot restore it",
                "6:checkpoint failed or was aborted, or its coordinator quit (the previous images are intact)",
                "75:`stasis batch`: evicted; checkpointed and stopped, run it again to restart",
                "85:`stasis batch --condor`: checkpointed at --interval, run it again (--exit-code)",
                "127:program not found or not executable",
                "137:the computation was stopped by `stasis command --kill`"})
    static final class Root implements Callable<Integer> {

        private final CliContext ctx;

        @Spec
        CommandSpec spec;

        Root(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            spec.commandLine().usage(ctx.err());
            return ExitCodes.USAGE;
        }
    }
}
