package io.stasis.cli;

import io.stasis.image.Image;
import io.stasis.image.ImageReader;
import io.stasis.image.InvalidImageException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code stasis restart} and {@code stasis inspect} check before they read an image: exit 4, at once, for
 * anything that is not an image file this user can read. A fifo is never opened (opening it for reading would
 * wait for a writer forever).
 */
final class ImageFile {

    private ImageFile() {
    }

    /** Exit 4 unless {@code image} is a regular file this user may read. */
    static void requireReadable(Path image) {
        if (!Files.exists(image)) {
            throw new CliException(ExitCodes.INVALID_IMAGE, "no such image: " + image);
        }
        if (!Files.isRegularFile(image)) {
            throw new CliException(ExitCodes.INVALID_IMAGE, image + " is not an image file (it is " + kind(image)
                    + ")");
        }
        if (!Files.isReadable(image)) {
            throw new CliException(ExitCodes.INVALID_IMAGE, "cannot read " + image + ": Permission denied");
        }
    }

    /** Exit 4 before anything is started when the file is not an image this Stasis can read. */
    static Image validate(Path image) {
        requireReadable(image);
        try {
            // structure only (sections, block headers, trailer); memory payloads are not read
            return ImageReader.open(image);
        } catch (InvalidImageException | UncheckedIOException e) {
            throw new CliException(ExitCodes.INVALID_IMAGE, e.getMessage(), e);
        }
    }

    private static String kind(Path path) {
        if (Files.isDirectory(path)) {
            return "a directory";
        }
        return "a fifo, a device or a socket";
    }
}
