package io.stasis.image;

/** A PLUGIN section: id and version; the plugin's own bytes are located, not loaded. */
final class PluginSectionReader {

    private PluginSectionReader() {
    }

    static PluginSection read(ImageInput in) {
        String id = in.str();
        int version = in.u32();
        long dataOffset = in.position();
        long dataLength = in.remaining();
        in.skip(dataLength);
        return new PluginSection(id, version, dataOffset, dataLength);
    }
}
