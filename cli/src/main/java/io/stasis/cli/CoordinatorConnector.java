package io.stasis.cli;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.client.CoordinatorException;
import io.stasis.coordinator.client.CoordinatorUnreachableException;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.protocol.Verb;
import io.stasis.coordinator.report.ProcessView;
import io.stasis.coordinator.state.StateDirectory;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds the coordinator's secret and connects to it; for launch and restart, starts a local one when
 * nobody answers.
 */
final class CoordinatorConnector {

    private final System.Logger log = System.getLogger(CoordinatorConnector.class.getName());
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

    /** {@code --join}: the secret of the coordinator at {@code address}, which must answer (else exit 3). */
    Secret join(CoordinatorAddress address) {
        Secret secret = secret(address).orElseThrow(() -> new CliException(ExitCodes.COORDINATOR,
                "no coordinator to join at " + address + " (nothing in "
                        + StateDirectory.forPort(ctx.env(), address.port()) + ")"));
        try (CommandClient client = CommandClient.connect(address.host(), address.port(), secret)) {
            return secret;
        } catch (CoordinatorException e) {
            throw new CliException(ExitCodes.COORDINATOR, "no coordinator to join: " + e.getMessage(), e);
        }
    }

    /** A coordinator this command started, and where it listens. */
    record Started(CoordinatorAddress address, Secret secret) {
    }

    /**
     * {@code --new-coordinator}: starts a coordinator on this machine ({@code --exit-on-last}) on {@code port},
     * 0 for any free one; exit 3 if one already answers there.
     */
    Started startNew(String host, int port, OptionalLong interval) {
        if (port != 0) {
            CoordinatorAddress address = new CoordinatorAddress(host, port);
            if (!address.isLocal()) {
                throw new CliException(ExitCodes.USAGE, "--new-coordinator starts a coordinator on this machine, "
                        + "not on " + host);
            }
            Optional<Secret> existing = secret(address);
            if (existing.isPresent() && answers(address, existing.get())) {
                throw new CliException(ExitCodes.COORDINATOR, "a coordinator already runs at " + address
                        + " (--new-coordinator)");
            }
        }
        int listening = startDaemon(host, port, interval).port();
        CoordinatorAddress address = new CoordinatorAddress(host, listening);
        return new Started(address, secret(address).orElseThrow(() -> new CliException(ExitCodes.COORDINATOR,
                "the coordinator started but wrote no secret")));
    }

    /**
     * Tells the coordinator that this process is about to become a checkpointed program (launch, restart):
     * a checkpoint asked for meanwhile waits until it registered. Best effort: the program registers anyway.
     */
    void announce(CoordinatorAddress address, Secret secret) {
        try (CommandClient client = CommandClient.connect(address.host(), address.port(), secret)) {
            client.send(Verb.EXPECT_PROCESS, ProcessHandle.current().pid());
        } catch (CoordinatorException e) {
            log.log(System.Logger.Level.DEBUG, () -> "could not announce this process: " + e.getMessage());
        }
    }

    /**
     * Exit 5 when a process of {@code images} (by unique id) is still running in the coordinator's computation:
     * a second copy of it would share its image. The coordinator refuses such a copy's registration anyway; this
     * says so before anything is started.
     */
    void refuseLiveCopies(CoordinatorAddress address, Secret secret, Map<String, Path> images) {
        List<ProcessView> running;
        try (CommandClient client = CommandClient.connect(address.host(), address.port(), secret)) {
            running = client.list();
        } catch (CoordinatorException e) {
            log.log(System.Logger.Level.DEBUG, () -> "could not list the running processes: " + e.getMessage());
            return;
        }
        for (ProcessView p : running) {
            Path image = images.get(p.uniqueId());
            if (image != null) {
                throw new CliException(ExitCodes.RESTART_FAILED, image + ": its process " + p.pid() + " ("
                        + p.program() + ") is still running (kernel pid " + p.realPid() + " on " + p.host()
                        + "); stop it before restarting its image");
            }
        }
    }

    private DaemonStarter.Started startDaemon(String host, int port, OptionalLong interval) {
        List<String> args = new ArrayList<>(List.of("--quiet", "--exit-on-last", "--port", String.valueOf(port)));
        if (!CoordinatorAddress.isLoopback(host)) {
            args.add("--bind");
            args.add(host);
        }
        if (interval.isPresent()) {
            args.add("--interval");
            args.add(String.valueOf(interval.getAsLong()));
        }
        return new DaemonStarter(ctx).start(args, port);
    }

    private Secret start(CoordinatorAddress address, OptionalLong interval) {
        try {
            startDaemon(address.host(), address.port(), interval);
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
