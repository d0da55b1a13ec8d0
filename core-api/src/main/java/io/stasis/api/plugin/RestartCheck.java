package io.stasis.api.plugin;

import io.stasis.api.config.StasisConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@code stasis restart} gives a plugin's {@link ResourcePlugin#checkBeforeRestart} before anything is
 * started: the plugin's section of every image being restarted, the configuration, whether the user
 * asked for saved state to be put back ({@code --restore-files}), and where saved paths are now
 * ({@code --path-map}).
 *
 * @param sections         this plugin's section of each image that has one, in command-line order
 * @param config           resolved as for any command: environment, config file, defaults
 * @param restoreRequested {@code --restore-files} was given: put back what was saved rather than refuse
 * @param notices          one line each (without "stasis: ") for what the check did, e.g. a file restored
 * @param paths            {@code --path-map}: check a saved path at {@code paths.map(saved)}
 */
public record RestartCheck(List<Section> sections, StasisConfig config, boolean restoreRequested,
        Consumer<String> notices, PathMap paths) {

    public RestartCheck {
        sections = List.copyOf(sections);
        Objects.requireNonNull(config);
        Objects.requireNonNull(notices);
        Objects.requireNonNull(paths);
    }

    /** Paths where they were saved ({@link PathMap#NONE}). */
    public RestartCheck(List<Section> sections, StasisConfig config, boolean restoreRequested,
            Consumer<String> notices) {
        this(sections, config, restoreRequested, notices, PathMap.NONE);
    }

    /**
     * One image's section of this plugin.
     *
     * @param image   the image file
     * @param version the section version the core recorded
     * @param bytes   the bytes the fragment wrote; {@link #data()} gives a fresh read-only view of them
     */
    public record Section(Path image, int version, byte[] bytes) {

        public Section {
            Objects.requireNonNull(image);
            bytes = bytes.clone();
        }

        /** Little-endian, read-only, positioned at 0. */
        public ByteBuffer data() {
            return ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }
}
