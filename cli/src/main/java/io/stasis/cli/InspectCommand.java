package io.stasis.cli;

import io.stasis.api.plugin.SectionDecoder;
import io.stasis.image.Image;
import io.stasis.image.ImageInspector;
import io.stasis.image.ImageReader;
import io.stasis.image.ImageVerifier;
import io.stasis.image.VerificationReport;
import io.stasis.image.InvalidImageException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis inspect IMAGE}: what an image holds, and whether its checksums hold. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe an image: process, threads, memory regions, descriptors, signals, plugin "
                + "sections, checksums.")
final class InspectCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--json", description = "Print a JSON document instead of text.")
    boolean json;

    @Mixin
    PluginsDirOption pluginsDir;

    @Parameters(paramLabel = "IMAGE", description = "The image (ckpt_*.stasis).")
    Path image;

    InspectCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Path path = ctx.workingDirectory().resolve(image).normalize();
        ImageFile.requireReadable(path);
        String description;
        VerificationReport report;
        try {
            Image read = ImageReader.open(path);
            report = ImageVerifier.verify(read, false);
            description = ImageInspector.describe(read, report, json, sectionDecoders());
        } catch (InvalidImageException | UncheckedIOException e) {
            throw new CliException(ExitCodes.INVALID_IMAGE, e.getMessage(), e);
        }
        ctx.out().print(description.endsWith("\n") ? description : description + "\n");
        /* the listing is still useful for a damaged image, but scripts must see it is damaged */
        return report.ok() ? ExitCodes.OK : ExitCodes.INVALID_IMAGE;
    }

    /** The plugins' decoders; without them (an unreadable plugins directory) sections are only listed. */
    private Map<String, SectionDecoder> sectionDecoders() {
        try {
            return LoadedPlugins.load(ctx, Optional.empty(), pluginsDir.settings()).catalog().sectionDecoders();
        } catch (CliException e) {
            ctx.err().println("stasis: " + e.getMessage() + " (plugin sections are not decoded)");
            return Map.of();
        }
    }
}
