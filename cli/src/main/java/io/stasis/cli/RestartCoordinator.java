package io.stasis.cli;

import io.stasis.coordinator.protocol.Secret;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/**
 * Which coordinator a restarted process meets, as {@code dmtcp_restart} chooses it: {@code --join} one that
 * runs (exit 3 if none answers), {@code --new-coordinator} on this machine (fails if one answers on that port;
 * port 0: any free one), or by default the one that answers, else a new one.
 */
final class RestartCoordinator {

    @Option(names = {"-j", "--join"}, description = "Join the coordinator that runs at --coord-host/--coord-port; "
            + "exit 3 if none answers.")
    boolean join;

    @Option(names = "--new-coordinator", description = "Start a new coordinator on this machine at --coord-port "
            + "(0: any free port, printed); exit 3 if one already answers there.")
    boolean newCoordinator;

    /** The coordinator chosen, its secret, and the checkpoint directory of later checkpoints (if set). */
    record Chosen(CoordinatorAddress address, Secret secret, Optional<Path> checkpointDir) {
    }

    /** @param choice null when neither option was given */
    static Chosen choose(CliContext ctx, CoordinatorFlags flags, RestartCoordinator choice, Path checkpointDir) {
        CoordinatorConnector connector = new CoordinatorConnector(ctx);
        boolean anyPort = choice != null && choice.newCoordinator && flags.port != null && flags.port == 0;
        Settings settings = anyPort
                ? Settings.resolve(ctx.env(), ctx.workingDirectory(), Optional.ofNullable(flags.config), flags.host,
                        null, checkpointDir)
                : flags.resolve(ctx, checkpointDir);
        CoordinatorAddress address = settings.coordinator();
        if (choice != null && choice.newCoordinator) {
            CoordinatorConnector.Started started = connector.startNew(address.host(), anyPort ? 0 : address.port(),
                    OptionalLong.empty());
            if (anyPort) {
                ctx.err().println("stasis: coordinator started on " + started.address());
            }
            return new Chosen(started.address(), started.secret(), settings.checkpointDir());
        }
        Secret secret = choice != null && choice.join ? connector.join(address)
                : connector.findOrStart(address, OptionalLong.empty());
        return new Chosen(address, secret, settings.checkpointDir());
    }
}
