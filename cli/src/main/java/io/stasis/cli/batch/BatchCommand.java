package io.stasis.cli.batch;

import io.stasis.cli.CliContext;
import io.stasis.cli.Directories;
import io.stasis.cli.Installation;
import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import io.stasis.coordinator.script.GenerationDirectories;
import io.stasis.coordinator.script.GenerationDirectories.Generation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stasis batch -- PROGRAM ARGS…}: the wrapper for batch jobs that must survive preemption, time limits
 * and eviction (README, "Under Slurm" and "Under HTCondor"). It runs a private coordinator in this JVM (any
 * free loopback port, its secret and logs under the job's directory), starts the program, or restarts the
 * newest complete checkpoint generation when there is one, stays its parent to catch the eviction signal,
 * and on it takes a blocking checkpoint, stops the program and exits with a documented status.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Run a batch job so that it survives eviction: start PROGRAM under Stasis, or restart "
                + "it from the newest complete checkpoint in the checkpoint directory; on an eviction signal "
                + "checkpoint it, stop it and exit (75, or 6 if the checkpoint failed); with --interval "
                + "checkpoint periodically, keeping the last two generations (one with --condor). Otherwise exits with the "
                + "program's own status.",
            "Put `--` before PROGRAM when it takes options."})
public final class BatchCommand implements Callable<Integer> {

    /**
     * Complete generations kept: the newest may be cut short by a crash while being copied away. Under
     * HTCondor's self-checkpointing the starter uploads the whole checkpoint directory after each one and keeps
     * the previous upload until the new one is complete, so a second generation would only double the transfer.
     */
    static final int KEEP = 2;
    static final int KEEP_CONDOR = 1;

    private final CliContext ctx;

    @Option(names = "--ckpt-dir", paramLabel = "DIR", description = "Directory of the checkpoint generations, "
            + "relative to the job's directory (default: $STASIS_BATCH_CKPT_DIR, batch.ckpt-dir, stasis-ckpt).")
    Path checkpointDir;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Checkpoint every SECONDS seconds "
            + "(default: $STASIS_CKPT_INTERVAL, ckpt.interval, 0: only on eviction); with --condor, each "
            + "checkpoint ends the run with --exit-code.")
    Long interval;

    @Option(names = "--signal", paramLabel = "SIG[,SIG…]", description = "Eviction signals (default: "
            + "$STASIS_BATCH_SIGNALS, batch.signals, TERM,USR1,INT).")
    String signals;

    @Option(names = "--exit-code", paramLabel = "N", description = "Exit status after an interval checkpoint "
            + "with --condor: the submit file's checkpoint_exit_code (default: $STASIS_BATCH_EXIT_CODE, "
            + "batch.exit-code, 85).")
    Integer exitCode;

    @ArgGroup(exclusive = true)
    BatchSystem system;

    /** Which batch system's conventions to follow. */
    static final class BatchSystem {
        @Option(names = "--slurm", description = "After the eviction checkpoint, `scontrol requeue "
                + "$SLURM_JOB_ID` (with #SBATCH --requeue --signal=B:USR1@60).")
        boolean slurm;

        @Option(names = "--condor", description = "HTCondor self-checkpointing: every --interval, checkpoint "
                + "and exit with --exit-code (checkpoint_exit_code); the starter saves stasis-ckpt/ and reruns.")
        boolean condor;
    }

    @Option(names = "--tmpdir", paramLabel = "DIR", description = "Coordinator state and logs (default: "
            + "$STASIS_TMPDIR, tmpdir, .stasis in the job's directory).")
    Path tmpdir;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: $STASIS_CONFIG, "
            + "~/.config/stasis/stasis.properties).")
    Path config;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "Program, looked up in PATH.")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments of the program.")
    List<String> arguments = new ArrayList<>();

    private static List<String> images(Path generation) throws IOException {
        try (var files = Files.list(generation)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("ckpt_") && n.endsWith(".stasis"))
                    .sorted().toList();
        }
    }

    public BatchCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        BatchSettings.Mode mode = system == null ? BatchSettings.Mode.PLAIN
                : system.slurm ? BatchSettings.Mode.SLURM : BatchSettings.Mode.CONDOR;
        Path sandbox = ctx.workingDirectory();
        BatchSettings settings = BatchSettings.resolve(BatchSettings.flags(checkpointDir, interval, signals, exitCode),
                ctx.env(), sandbox, Optional.ofNullable(config), mode);
        Installation installation = ctx.requireInstallation();
        PrintStream log = ctx.err();
        Map<String, String> env = new HashMap<>(ctx.env());
        // TmpdirOption made --tmpdir, STASIS_TMPDIR (even "./", as DMTCP_TMPDIR=./ under HTCondor) and tmpdir absolute
        Path tmp = Path.of(env.computeIfAbsent("STASIS_TMPDIR", k -> sandbox.resolve(".stasis").toString()));
        Directories.createWritable(tmp, "temporary directory");
        Directories.createWritable(settings.checkpointDir(), "checkpoint directory");
        Optional<Generation> latest = GenerationDirectories.latestComplete(settings.checkpointDir());
        String restartCount = env.getOrDefault("SLURM_RESTART_COUNT", "0");
        if (mode == BatchSettings.Mode.SLURM && latest.isEmpty() && !"0".equals(restartCount)) {
            log.println("stasis batch: warning: Slurm rerun " + restartCount + " but no complete checkpoint in "
                    + settings.checkpointDir() + ": starting over");
        }
        CoordinatorOptions options = CoordinatorOptions.builder().port(0).quiet(true)
                .checkpointDir(settings.checkpointDir().toString())
                .keepGenerations(mode == BatchSettings.Mode.CONDOR ? KEEP_CONDOR : KEEP)
                .stasisCommand(installation.launcher()).build();
        try (CoordinatorServer coordinator = CoordinatorServer.start(options, env)) {
            env.put("STASIS_SECRET", coordinator.secret().hex());
            env.put("STASIS_BIN", installation.launcher().toString());
            List<String> command;
            if (latest.isPresent()) {
                Generation g = latest.get();
                log.println("stasis batch: restarting from checkpoint generation " + g.number() + " ("
                        + sandbox.relativize(g.directory()) + ")");
                // the images of the generation, as its restart script lists them for this host; run directly,
                // so that the restored program is this command's child and not a shell's
                List<String> restart = new ArrayList<>(List.of("restart", "--join", "--coord-host", "127.0.0.1",
                        "--coord-port", String.valueOf(coordinator.port()), "--restartdir", g.directory().toString()));
                SandboxMove.pathMap(g.directory(), sandbox, log)
                        .ifPresent(entry -> restart.addAll(List.of("--path-map", entry)));
                restart.addAll(images(g.directory()));
                command = ctx.self().with(restart);
            } else {
                log.println("stasis batch: no complete checkpoint in " + sandbox.relativize(settings.checkpointDir())
                        + ": starting " + program);
                List<String> launch = new ArrayList<>(List.of("launch", "--coord-host", "127.0.0.1", "--coord-port",
                        String.valueOf(coordinator.port()), "--ckpt-dir", settings.checkpointDir().toString(), "--",
                        program));
                launch.addAll(arguments);
                command = ctx.self().with(launch);
            }
            BatchRun run = new BatchRun(settings, sandbox, coordinator.port(), coordinator.secret(), log,
                    mode == BatchSettings.Mode.SLURM
                            ? Optional.of(new SlurmRequeue(env.get("SLURM_JOB_ID"), log)) : Optional.empty());
            EvictionSignals.install(settings.signals(), run::signalled, log);
            Computation computation = Computation.start(command, sandbox, env, ctx.out(), ctx.err());
            return run.run(computation);
        }
    }
}
