package io.stasis.cli;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.client.CoordinatorException;
import io.stasis.coordinator.protocol.CommandResult;

/** A blocking checkpoint as the command line shows it: progress on a terminal, then one line; exit 6 on failure. */
final class CheckpointRunner {

    private final CliContext ctx;

    CheckpointRunner(CliContext ctx) {
        this.ctx = ctx;
    }

    int blocking(CommandClient client) throws CoordinatorException {
        ProgressPrinter progress = new ProgressPrinter(ctx.err());
        CommandResult result;
        try {
            result = client.blockingCheckpoint(p -> {
                if (ctx.interactive()) {
                    progress.show(p);
                }
            });
        } finally {
            progress.finish();
        }
        return report(result);
    }

    int started(CommandClient client) throws CoordinatorException {
        return report(client.checkpoint());
    }

    private int report(CommandResult result) {
        if (!result.ok()) {
            throw new CliException(ExitCodes.CHECKPOINT_FAILED, result.text());
        }
        ctx.out().println(result.text());
        return ExitCodes.OK;
    }
}
