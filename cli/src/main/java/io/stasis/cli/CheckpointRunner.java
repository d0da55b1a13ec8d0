package io.stasis.cli;

import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.client.CoordinatorException;
import io.stasis.coordinator.client.CoordinatorUnreachableException;
import io.stasis.coordinator.protocol.CommandResult;

/**
 * A blocking checkpoint as the command line shows it: progress on a terminal, a warning line on stderr for each
 * resource that will not be restored, then one line; exit 6 on failure.
 */
final class CheckpointRunner {

    private final CliContext ctx;

    CheckpointRunner(CliContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Once the coordinator has the request, losing it is a checkpoint that failed (exit 6), not a coordinator
     * that could not be reached (3): one started by {@code stasis launch} quits as soon as its last process
     * exits, which may be between the request and the checkpoint.
     */
    int blocking(CommandClient client) throws CoordinatorException {
        ProgressPrinter progress = new ProgressPrinter(ctx.err());
        CommandResult result;
        try {
            result = client.blockingCheckpoint(p -> {
                if (ctx.interactive()) {
                    progress.show(p);
                }
            });
        } catch (CoordinatorUnreachableException e) {
            throw new CliException(ExitCodes.CHECKPOINT_FAILED, "checkpoint not taken: " + e.getMessage(), e);
        } finally {
            progress.finish();
        }
        return report(result);
    }

    int started(CommandClient client) throws CoordinatorException {
        return report(client.checkpoint());
    }

    /** Warnings on stderr, the outcome on stdout (or as the error). */
    private int report(CommandResult result) {
        CheckpointAnswer answer = CheckpointAnswer.of(result.text());
        answer.warnings().forEach(ctx.err()::println);
        if (!result.ok()) {
            throw new CliException(ExitCodes.CHECKPOINT_FAILED, answer.outcome());
        }
        ctx.out().println(answer.outcome());
        return ExitCodes.OK;
    }
}
