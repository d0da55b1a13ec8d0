package io.stasis.tests.e2e;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.state.StateDirectory;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The coordinator's command port, for checkpoints faster than a `stasis checkpoint` command (no JVM start). */
final class CommandPort {

    private CommandPort() {
    }

    static CommandClient connect(Sandbox sandbox, Coordinator coordinator) {
        try {
            return CommandClient.connect(coordinator.host(), coordinator.port(), secret(sandbox, coordinator));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The coordinator runs as the sandbox's user: its secret lies under that uid. */
    static Secret secret(Sandbox sandbox, Coordinator coordinator) {
        Path file = sandbox.tmp().resolve("stasis-" + sandbox.runAs().uid()).resolve("coord-" + coordinator.port())
                .resolve(StateDirectory.SECRET_FILE);
        try {
            return Secret.fromHex(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
