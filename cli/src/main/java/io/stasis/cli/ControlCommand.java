package io.stasis.cli;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.coordinator.protocol.Verb;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stasis command}: one request to the coordinator. */
@Command(name = "command", mixinStandardHelpOptions = true,
        description = "Send one command to the coordinator.")
final class ControlCommand implements Callable<Integer> {

    /** Exactly one of these. */
    static final class Action {
        @Option(names = {"-c", "--checkpoint"}, description = "Start a checkpoint; return when it started.")
        boolean checkpoint;

        @Option(names = "--bc", description = "Checkpoint and return when every image is written (exit 6 if it failed).")
        boolean blockingCheckpoint;

        @Option(names = {"-k", "--kill"}, description = "Kill every process of the computation (exit status 137).")
        boolean kill;

        @Option(names = {"-s", "--status"}, description = "Show the coordinator's status.")
        boolean status;

        @Option(names = {"-l", "--list"}, description = "List the connected processes.")
        boolean list;

        @Option(names = {"-i", "--interval"}, paramLabel = "SECONDS", description = "Checkpoint every SECONDS seconds (0: never).")
        Long interval;

        @Option(names = {"-q", "--quit"}, description = "Stop the coordinator.")
        boolean quit;
    }

    private final CliContext ctx;

    @Mixin
    CoordinatorFlags coordinator;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    @Option(names = "--json", description = "With --status or --list: print the coordinator's JSON.")
    boolean json;

    ControlCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        if (action.interval != null && (action.interval < 0 || action.interval > 0xFFFF_FFFFL)) {
            throw new CliException(ExitCodes.USAGE, "--interval must be 0..4294967295 seconds");
        }
        Settings settings = coordinator.resolve(ctx, null);
        try (CommandClient client = new CoordinatorConnector(ctx).connect(settings.coordinator())) {
            if (action.blockingCheckpoint) {
                return new CheckpointRunner(ctx).blocking(client);
            }
            if (action.checkpoint) {
                return new CheckpointRunner(ctx).started(client);
            }
            if (action.status) {
                if (json) {
                    return print(client.send(Verb.STATUS, 0));
                }
                ctx.out().print(StatusText.render(client.status(), client.list(), ZoneId.systemDefault()));
                return ExitCodes.OK;
            }
            if (action.list) {
                if (json) {
                    return print(client.send(Verb.LIST, 0));
                }
                ctx.out().print(StatusText.processTable(client.list()));
                return ExitCodes.OK;
            }
            if (action.kill) {
                return print(client.kill());
            }
            if (action.interval != null) {
                return print(client.setInterval(action.interval));
            }
            return print(client.quit());
        }
    }

    private int print(CommandResult result) {
        if (!result.ok()) {
            throw new CliException(ExitCodes.ERROR, result.text());
        }
        ctx.out().println(result.text());
        return ExitCodes.OK;
    }
}
