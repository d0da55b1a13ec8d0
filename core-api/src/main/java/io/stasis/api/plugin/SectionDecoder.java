package io.stasis.api.plugin;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Turns a plugin's image section (the bytes its fragment wrote with {@code stasis_section_write()}) into
 * lines for {@code stasis inspect}. It must not trust the bytes: an image may be damaged or come from
 * another version of the plugin.
 */
@FunctionalInterface
public interface SectionDecoder {

    /**
     * @param version the section version the core recorded
     * @param data    the section's bytes, little-endian, positioned at 0
     * @return one entry per line, without line breaks
     * @throws IllegalArgumentException the bytes do not have the expected layout (shown as such)
     */
    List<String> describe(int version, ByteBuffer data);
}
