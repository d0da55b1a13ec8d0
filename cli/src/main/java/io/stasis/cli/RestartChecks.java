package io.stasis.cli;

import io.stasis.api.plugin.PathMap;
import io.stasis.api.plugin.RestartCheck;
import io.stasis.api.plugin.RestartRefusedException;
import io.stasis.cli.plugin.InstalledPlugin;
import io.stasis.image.Image;
import io.stasis.image.ImageData;
import io.stasis.image.ImageReader;
import io.stasis.image.InvalidImageException;
import io.stasis.image.PluginSection;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code stasis restart}'s call to every plugin's {@code checkBeforeRestart}, before anything is started: each
 * plugin an image recorded and holds a section of gets its sections of all the images at once, so that it
 * can refuse before it changes anything.
 */
final class RestartChecks {

    private RestartChecks() {
    }

    /**
     * @param images  images {@link ImageFile#validate} accepted, whose plugins are installed
     * @param restore {@code --restore-files}
     * @param paths   {@code --path-map}
     * @throws CliException exit 5 when a plugin refuses (or fails); exit 4 when a section cannot be read
     */
    static void run(CliContext ctx, List<Path> images, LoadedPlugins loaded, boolean restore, PathMap paths) {
        List<Image> read = images.stream().map(ImageReader::open).toList();
        for (InstalledPlugin plugin : loaded.catalog().plugins()) {
            List<RestartCheck.Section> sections = sectionsOf(plugin.id(), read);
            if (sections.isEmpty()) {
                continue;
            }
            RestartCheck check = new RestartCheck(sections, loaded.config(), restore,
                    line -> ctx.err().println("stasis: " + line), paths);
            try {
                plugin.plugin().checkBeforeRestart(check);
            } catch (RestartRefusedException e) {
                throw new CliException(ExitCodes.RESTART_FAILED, "cannot restart: " + e.getMessage(), e);
            } catch (RuntimeException | LinkageError e) {
                throw new CliException(ExitCodes.RESTART_FAILED, "cannot restart: plugin '" + plugin.id()
                        + "' failed its check of the images: " + e, e);
            }
        }
    }

    private static List<RestartCheck.Section> sectionsOf(String id, List<Image> images) {
        List<RestartCheck.Section> sections = new ArrayList<>();
        for (Image image : images) {
            if (!image.process().plugins().contains(id)) {
                continue;
            }
            Optional<PluginSection> section = image.pluginSections().stream()
                    .filter(s -> s.pluginId().equals(id)).findFirst();
            if (section.isEmpty()) {
                continue;
            }
            try (ImageData data = ImageData.open(image)) {
                sections.add(new RestartCheck.Section(image.path(), section.get().version(),
                        data.pluginData(section.get())));
            } catch (InvalidImageException e) {
                throw new CliException(ExitCodes.INVALID_IMAGE, e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw new CliException(ExitCodes.ERROR, e.getMessage(), e);
            }
        }
        return sections;
    }
}
