package io.stasis.cli.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a PF4J plugin zip as a third party would ship it: {@code plugin.properties}, the extension's
 * classes under {@code classes/} with PF4J's {@code META-INF/extensions.idx}, and {@code native/<fragment>}.
 * The classes are copied from the tests' own class path.
 */
final class PluginZip {

    private final Map<String, String> properties = new LinkedHashMap<>();
    private Class<?> extension;
    private String fragment;

    static PluginZip of(String id, Class<?> extension) {
        PluginZip zip = new PluginZip();
        zip.properties.put("plugin.id", id);
        zip.properties.put("plugin.version", "1.0.0");
        zip.extension = extension;
        return zip;
    }

    PluginZip property(String key, String value) {
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
        return this;
    }

    /** Declares {@code plugin.native} and puts a file of that name into {@code native/}. */
    PluginZip fragment(String fileName) {
        this.fragment = fileName;
        return property("plugin.native", fileName);
    }

    /** Declares {@code plugin.native} without shipping the file. */
    PluginZip declaredFragmentOnly(String fileName) {
        this.fragment = null;
        return property("plugin.native", fileName);
    }

    Path writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            StringBuilder props = new StringBuilder();
            properties.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
            put(zip, "plugin.properties", props.toString().getBytes(StandardCharsets.UTF_8));
            if (extension != null) {
                String resource = extension.getName().replace('.', '/') + ".class";
                try (InputStream in = extension.getClassLoader().getResourceAsStream(resource)) {
                    put(zip, "classes/" + resource, in.readAllBytes());
                }
                put(zip, "classes/META-INF/extensions.idx",
                        (extension.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (fragment != null) {
                put(zip, "native/" + fragment, "\177ELF not really".getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        OutputStream out = zip;
        out.write(bytes);
        zip.closeEntry();
    }
}
