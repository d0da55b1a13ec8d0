package io.stasis.cli;

import io.stasis.coordinator.client.CommandClient;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stasis status}: the coordinator, its processes and the last checkpoint, as a table. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the coordinator, its processes and the last checkpoint.")
final class StatusCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    CoordinatorFlags coordinator;

    StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = coordinator.resolve(ctx, null);
        try (CommandClient client = new CoordinatorConnector(ctx).connect(settings.coordinator())) {
            ctx.out().print(StatusText.render(client.status(), client.list(), ZoneId.systemDefault()));
        }
        return ExitCodes.OK;
    }
}
