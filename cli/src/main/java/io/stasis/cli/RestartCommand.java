package io.stasis.cli;

import io.stasis.coordinator.protocol.Secret;
import io.stasis.image.ImageReader;
import io.stasis.image.InvalidImageException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stasis restart IMAGE}: checks the image, makes sure a coordinator runs, then becomes
 * {@code libexec/stasis-restart IMAGE} with the environment of a launch.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Restart a process from its image (ckpt_*.stasis).")
final class RestartCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    CoordinatorFlags coordinator;

    @Option(names = "--ckpt-dir", paramLabel = "DIR",
            description = "Directory for the images of later checkpoints (default: $STASIS_CKPT_DIR, ckpt.dir, "
                    + "the image's directory).")
    Path checkpointDir;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image to restart.")
    List<Path> images;

    RestartCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (images.size() > 1) {
            throw new CliException(ExitCodes.USAGE, "restarting several images at once (a computation of several "
                    + "processes) is not supported yet: run one `stasis restart IMAGE` per image");
        }
        Path image = ctx.workingDirectory().resolve(images.get(0)).normalize();
        validate(image);
        Installation installation = ctx.requireInstallation();
        Path restarter = installation.restarter();
        if (!Files.isExecutable(restarter)) {
            throw new CliException(ExitCodes.ERROR, "the restarter " + restarter + " is missing (is the native part "
                    + "built? mvn package assembles it)");
        }
        Settings settings = coordinator.resolve(ctx, checkpointDir);
        Path dir = settings.checkpointDir().orElse(image.getParent());
        Secret secret = new CoordinatorConnector(ctx).findOrStart(settings.coordinator(), OptionalLong.empty());
        Map<String, String> env = LaunchEnvironment.forRestart(ctx.env(),
                new LaunchEnvironment.Coordinates(settings.coordinator(), secret, dir, installation));
        ctx.processImage().replace(restarter, List.of(restarter.toString(), image.toString()), env);
        return ExitCodes.OK; // only reached with a ProcessImage that does not exec (tests)
    }

    /** Exit 4 before anything is started when the file is not an image this Stasis can read. */
    static void validate(Path image) {
        if (!Files.exists(image)) {
            throw new CliException(ExitCodes.INVALID_IMAGE, "no such image: " + image);
        }
        if (!Files.isRegularFile(image)) {
            throw new CliException(ExitCodes.INVALID_IMAGE, image + " is not an image file");
        }
        try {
            // structure only (sections, block headers, trailer); memory payloads are not read
            ImageReader.open(image);
        } catch (InvalidImageException e) {
            throw new CliException(ExitCodes.INVALID_IMAGE, e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCodes.ERROR, e.getMessage(), e);
        }
    }
}
