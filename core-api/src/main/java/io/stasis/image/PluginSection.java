package io.stasis.image;

/**
 * A PLUGIN section: the plugin's id and section version; its own bytes stay in the file
 * ({@code dataOffset}, {@code dataLength}) and {@link ImageData#pluginData} reads them.
 */
public record PluginSection(String pluginId, int version, long dataOffset, long dataLength) {
}
