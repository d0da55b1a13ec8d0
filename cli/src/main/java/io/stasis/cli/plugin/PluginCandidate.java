package io.stasis.cli.plugin;

import java.nio.file.Path;

/**
 * One entry of the plugins directory, ready for PF4J.
 *
 * @param source    the entry as the user dropped it: a zip, a jar or a directory
 * @param loadPath  what PF4J loads: the directory (a zip's unpacked copy) or the jar
 * @param nativeDir where the plugin's fragment is
 */
record PluginCandidate(Path source, Path loadPath, Path nativeDir) {
}
