package io.stasis.image;

import io.stasis.api.plugin.SectionDecoder;
import io.stasis.api.text.ErrorText;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugin sections of an image that a plugin's {@link SectionDecoder} can describe, as lines. A decoder
 * is plugin code, possibly a third party's: whatever it throws becomes a line saying so, never a failed
 * {@code inspect}.
 */
final class DecodedSections {

    private DecodedSections() {
    }

    /** By section, in image order; sections without a decoder are left out. */
    static Map<PluginSection, List<String>> of(Image image, Map<String, SectionDecoder> decoders) {
        Map<PluginSection, List<String>> decoded = new LinkedHashMap<>();
        if (image.pluginSections().stream().noneMatch(s -> decoders.containsKey(s.pluginId()))) {
            return decoded;
        }
        try (ImageData data = ImageData.open(image)) {
            for (PluginSection section : image.pluginSections()) {
                SectionDecoder decoder = decoders.get(section.pluginId());
                if (decoder != null) {
                    decoded.put(section, decode(data, section, decoder));
                }
            }
        }
        return decoded;
    }

    private static List<String> decode(ImageData data, PluginSection section, SectionDecoder decoder) {
        byte[] bytes;
        try {
            bytes = data.pluginData(section);
        } catch (InvalidImageException | UncheckedIOException e) {
            return List.of("cannot read the section: " + ErrorText.of(e));
        }
        try {
            List<String> lines = decoder.describe(section.version(),
                    ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
            return lines == null ? List.of() : List.copyOf(lines);
        } catch (RuntimeException e) {
            return List.of("cannot decode the section: " + e);
        }
    }
}
