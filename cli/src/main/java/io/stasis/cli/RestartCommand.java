package io.stasis.cli;

import io.stasis.api.plugin.PathMap;
import io.stasis.image.ProcessInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stasis restart IMAGE…}: checks the images, makes sure a coordinator runs, then becomes
 * {@code libexec/stasis-restart IMAGE…} with the environment of a launch.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Restart processes from their images (ckpt_*.stasis): all images of a computation on "
                + "this host at once rebuild its process tree.")
final class RestartCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    CoordinatorFlags coordinator;

    @Option(names = "--ckpt-dir", paramLabel = "DIR",
            description = "Directory for the images of later checkpoints (default: $STASIS_CKPT_DIR, ckpt.dir, "
                    + "the image's directory).")
    Path checkpointDir;

    @Option(names = "--restartdir", paramLabel = "DIR",
            description = "Directory to read images from: relative IMAGEs, and absolute ones that are no longer "
                    + "there, by file name (default: $STASIS_RESTART_DIR, restart.dir, the current directory).")
    Path restartDir;

    @ArgGroup(exclusive = true)
    RestartCoordinator coordinatorChoice;

    @Mixin
    PluginsDirOption pluginsDir;

    @Option(names = "--restore-files",
            description = "Put back the saved copy of every file that changed since the checkpoint instead of "
                    + "refusing (default: $STASIS_FILES_RESTORE_FILES, files.restore-files; see docs/files.md).")
    boolean restoreFiles;

    @Option(names = "--path-map", paramLabel = "OLD=NEW",
            description = "Use saved paths under OLD (working directory, open files, fifos, mapped files) under NEW: "
                    + "the directory they were in moved. Repeatable; the longest matching OLD wins (default: "
                    + "$STASIS_RESTART_PATH_MAP, restart.path-map, entries separated by ':').")
    List<String> pathMap;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images to restart.")
    List<Path> images;

    RestartCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        /* several images: the processes of one computation on this host; stasis-restart
         * rebuilds their tree, this process becoming the first root */
        Optional<Path> restartDirectory = RestartDirectory.resolve(restartDir, ctx.env(), ctx.workingDirectory(),
                Optional.ofNullable(coordinator.config));
        PathMap paths = RestartPathMap.resolve(pathMap, ctx.env(), ctx.workingDirectory(),
                Optional.ofNullable(coordinator.config));
        // an absolute image that is gone may have moved with the rest
        List<Path> located = images.stream()
                .map(i -> i.isAbsolute() && !Files.exists(i) ? Path.of(paths.map(i.toString())) : i)
                .map(i -> RestartDirectory.locate(i, restartDirectory, ctx.workingDirectory())).toList();
        Map<String, Path> byUniqueId = new LinkedHashMap<>();
        for (Path image : located) {
            ProcessInfo held = ImageFile.validate(image).process();
            byUniqueId.put(held.uniqueId(), image);
            ImageIdentity.notice(image, held).ifPresent(line -> ctx.err().println("stasis: " + line));
            ImagePlugins.requireInstalled(ctx, image, pluginsDir, Optional.ofNullable(coordinator.config));
        }
        // plugins may refuse (a file changed) or put things back; nothing has been started yet
        RestartChecks.run(ctx, located,
                LoadedPlugins.load(ctx, Optional.ofNullable(coordinator.config), pluginsDir.settings()), restoreFiles,
                paths);
        Path image = located.get(0);
        Installation installation = ctx.requireInstallation();
        Path restarter = installation.restarter();
        if (!Files.isExecutable(restarter)) {
            throw new CliException(ExitCodes.ERROR, "the restarter " + restarter + " is missing (is the native part "
                    + "built? mvn package assembles it)");
        }
        RestartCoordinator.Chosen chosen = RestartCoordinator.choose(ctx, coordinator, coordinatorChoice, checkpointDir);
        Path dir = chosen.checkpointDir().orElse(image.getParent());
        Map<String, String> env = LaunchEnvironment.forRestart(ctx.env(),
                new LaunchEnvironment.Coordinates(chosen.address(), chosen.secret(), dir, installation));
        CoordinatorConnector connector = new CoordinatorConnector(ctx);
        connector.refuseLiveCopies(chosen.address(), chosen.secret(), byUniqueId);
        // this process becomes the restored one: checkpoints wait until it is back in the computation
        connector.announce(chosen.address(), chosen.secret());
        List<String> command = new ArrayList<>(List.of(restarter.toString()));
        paths.entries().forEach(e -> command.addAll(List.of("--path-map", e.toString())));
        located.forEach(p -> command.add(p.toString()));
        ctx.processImage().replace(restarter, command, env);
        return ExitCodes.OK; // only reached with a ProcessImage that does not exec (tests)
    }
}
