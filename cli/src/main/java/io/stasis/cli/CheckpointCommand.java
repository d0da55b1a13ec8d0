package io.stasis.cli;

import io.stasis.coordinator.client.CommandClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stasis checkpoint} = {@code stasis command --bc}. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = "Checkpoint every process of the coordinator and wait until every image is written "
                + "(same as `stasis command --bc`). Exit 6 if the checkpoint failed.")
final class CheckpointCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    CoordinatorFlags coordinator;

    CheckpointCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = coordinator.resolve(ctx, null);
        try (CommandClient client = new CoordinatorConnector(ctx).connect(settings.coordinator())) {
            return new CheckpointRunner(ctx).blocking(client);
        }
    }
}
