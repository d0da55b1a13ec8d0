package io.stasis.image;

import io.stasis.api.plugin.SectionDecoder;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code stasis inspect} prints: header, process, threads, regions with stored and
 * zero pages, descriptors, non-default signal handlers, plugin sections and the result
 * of checksum verification.
 */
public final class ImageInspector {

    private ImageInspector() {
    }

    /**
     * Reads and verifies the image, then describes it.
     *
     * @param json a stable JSON document instead of aligned text
     * @throws InvalidImageException the structure cannot be read (a checksum mismatch is
     *                               not thrown: it is part of the description)
     * @throws java.io.UncheckedIOException the file cannot be read
     */
    public static String describe(Path path, boolean json) {
        Image image = ImageReader.open(path);
        return describe(image, ImageVerifier.verify(image, false), json);
    }

    /** Describes an image already read and verified, e.g. when the caller also needs the report's verdict. */
    public static String describe(Image image, VerificationReport report, boolean json) {
        return describe(image, report, json, Map.of());
    }

    /**
     * Also shows what the plugins' decoders make of their sections (a decoder that fails says so in the
     * listing; it never makes the description fail).
     *
     * @param decoders by plugin id
     */
    public static String describe(Image image, VerificationReport report, boolean json,
                                  Map<String, SectionDecoder> decoders) {
        var decoded = DecodedSections.of(image, decoders);
        return json ? JsonDescription.of(image, report, decoded) : TextDescription.of(image, report, decoded);
    }
}
