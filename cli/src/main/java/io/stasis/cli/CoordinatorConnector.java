package io.stasis.cli;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.client.CoordinatorException;
import io.stasis.coordinator.client.CoordinatorUnreachableException;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.state.StateDirectory;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds the coordinator's secret and connects to it; for launch and restart, starts a local one when
 * nobody answers.
 */
final class CoordinatorConnector {

    private final CliContext ctx;

    CoordinatorConnector(CliContext ctx) {
        this.ctx = ctx;
    }

    /** {@code STASIS_SECRET} if set (a remote coordinator), else the state directory of the port. */
    Optional<Secret> secret(CoordinatorAddress address) {
        String fromEnv = ctx.env().get("STASIS_SECRET");
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                return Optional.of(Secret.fromHex(fromEnv));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "STASIS_SECRET: " + e.getMessage());
            }
        }
        StateDirectory state = StateDirectory.forPort(ctx.env(), address.port());
        try {
            return Optional.of(state.readSecret());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CliException(ExitCodes.COORDINATOR, "cannot read the coordinator's secret: " + e.getMessage());
        }
    }

    /** A command connection to a running coordinator; exit 3 when there is none. */
    CommandClient connect(CoordinatorAddress address) throws CoordinatorException {
        Secret secret = secret(address).orElseThrow(() -> new CliException(ExitCodes.COORDINATOR,
                "no coordinator running on port " + address.port() + " (nothing in "
                        + StateDirectory.forPort(ctx.env(), address.port()) + ")"));
        return CommandClient.connect(address.host(), address.port(), secret);
    }

    /**
     * The secret of the coordinator at {@code address}, after making sure it answers: a local one is
     * started when none does ({@code --daemon --exit-on-last}, with {@code interval} if given); an existing
     * one gets {@code interval} through COMMAND 6.
     */
    Secret findOrStart(CoordinatorAddress address, OptionalLong interval) {
        Optional<Secret> secret = secret(address);
        if (secret.isPresent()) {
            try (CommandClient client = CommandClient.connect(address.host(), address.port(), secret.get())) {
                if (interval.isPresent()) {
                    client.setInterval(interval.getAsLong());
                }
                return secret.get();
            } catch (CoordinatorUnreachableException e) {
                // a stale state directory of a coordinator that died: start a new one below
                if (!address.isLocal()) {
                    throw new CliException(ExitCodes.COORDINATOR, e.getMessage(), e);
                }
            } catch (CoordinatorException e) {
                throw new CliException(ExitCodes.COORDINATOR, e.getMessage(), e);
            }
        } else if (!address.isLocal()) {
            throw new CliException(ExitCodes.COORDINATOR, "no secret for the coordinator at " + address
                    + ": set STASIS_SECRET to the content of its state directory's secret file");
        }
        return start(address, interval);
    }

    private Secret start(CoordinatorAddress address, OptionalLong interval) {
        List<String> args = new ArrayList<>(List.of("--quiet", "--exit-on-last", "--port", String.valueOf(address.port())));
        if (!address.isLoopback()) {
            args.add("--bind");
            args.add(address.host());
        }
        if (interval.isPresent()) {
            args.add("--interval");
            args.add(String.valueOf(interval.getAsLong()));
        }
        try {
            new DaemonStarter(ctx).start(args, address.port());
        } catch (CliException e) {
            // two launches may race to start it: if one won, use that one
            Optional<Secret> winner = secret(address);
            if (winner.isPresent() && answers(address, winner.get())) {
                return winner.get();
            }
            throw new CliException(ExitCodes.COORDINATOR, "cannot start a coordinator on port " + address.port()
                    + ": " + e.getMessage(), e);
        }
        return secret(address).orElseThrow(() -> new CliException(ExitCodes.COORDINATOR,
                "the coordinator started but wrote no secret"));
    }

    private static boolean answers(CoordinatorAddress address, Secret secret) {
        try {
            CommandClient.connect(address.host(), address.port(), secret).close();
            return true;
        } catch (CoordinatorException e) {
            return false;
        }
    }
}
