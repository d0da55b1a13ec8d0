package io.stasis.cli.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.api.plugin.ResourcePlugin;
import io.stasis.cli.plugin.fixture.FailingPlugin;
import io.stasis.cli.plugin.fixture.GreeterPlugin;
import io.stasis.plugin.pidvirt.PidVirtPlugin;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built-in plugins from the class path, third-party ones from real PF4J plugin zips and jars. */
class PluginDiscoveryTest {

    @TempDir
    Path tmp;

    private Path pluginsDir;
    private Path nativeDir;
    private final List<ResourcePlugin> builtIns = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        pluginsDir = Files.createDirectories(tmp.resolve("plugins"));
        nativeDir = Files.createDirectories(tmp.resolve("home/lib/native"));
        ServiceLoader.load(ResourcePlugin.class).forEach(builtIns::add);
    }

    private PluginCatalog discover() {
        return PluginDiscovery.discover(builtIns, Optional.of(nativeDir), "0.1.0-SNAPSHOT",
                new PluginLocations(Optional.of(pluginsDir), tmp.resolve("cache")));
    }

    @Test
    void builtInPluginsComeFromTheClassPathWithFragmentsInTheInstallation() {
        PluginCatalog catalog = PluginDiscovery.discover(builtIns, Optional.of(nativeDir), "0.1.0",
                PluginLocations.none(tmp.resolve("cache")));
        assertThat(catalog.plugins()).extracting(InstalledPlugin::id).containsExactly("files", "ipc", "pid-virt", "pty",
                "sockets");
        assertThat(catalog.find("pid-virt").orElseThrow().fragmentFile())
                .contains(nativeDir.resolve("libstasis_pidvirt.so"));
        assertThat(catalog.find("sockets").orElseThrow().fragmentFile()).isEmpty();
        assertThat(catalog.plugins()).allMatch(InstalledPlugin::builtIn);
        assertThat(catalog.broken()).isEmpty();
    }

    @Test
    void aDroppedZipBecomesAPluginWhoseFragmentIsUnpackedOutsideThePluginsDirectory() throws Exception {
        PluginZip.of("greeter", GreeterPlugin.class).property("plugin.class", "")
                .fragment("libstasis_greeter.so").writeTo(pluginsDir.resolve("greeter-1.0.0.zip"));
        PluginCatalog catalog = discover();

        assertThat(catalog.broken()).isEmpty();
        InstalledPlugin greeter = catalog.find("greeter").orElseThrow();
        assertThat(greeter.version()).isEqualTo("1.0.0");
        assertThat(greeter.source()).contains(pluginsDir.resolve("greeter-1.0.0.zip"));
        assertThat(greeter.plugin().getClass().getClassLoader())
                .as("loaded by PF4J from the zip, not from the class path")
                .isNotSameAs(GreeterPlugin.class.getClassLoader());
        Path fragment = greeter.fragmentFile().orElseThrow();
        assertThat(fragment).startsWith(tmp.resolve("cache")).hasFileName("libstasis_greeter.so").isRegularFile();
        assertThat(pluginsDir).isDirectoryNotContaining(p -> Files.isDirectory(p));
        assertThat(catalog.sectionDecoders().get("greeter").describe(1,
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 3))).containsExactly("greetings 3");

        assertThat(discover().find("greeter").orElseThrow().fragmentFile()).as("unpacked once, same place")
                .contains(fragment);
    }

    @Test
    void aPlainJarWithAManifestWorksToo() throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", "greeter");
        main.putValue("Plugin-Version", "2.0.0");
        main.putValue("Plugin-Native", "libstasis_greeter.so");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(pluginsDir.resolve("greeter.jar")),
                manifest)) {
            String resource = GreeterPlugin.class.getName().replace('.', '/') + ".class";
            jar.putNextEntry(new JarEntry(resource));
            jar.write(GreeterPlugin.class.getClassLoader().getResourceAsStream(resource).readAllBytes());
            jar.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            jar.write((GreeterPlugin.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new JarEntry("native/libstasis_greeter.so"));
            jar.write(new byte[] {0x7f, 'E', 'L', 'F'});
        }
        PluginCatalog catalog = discover();
        assertThat(catalog.broken()).isEmpty();
        assertThat(catalog.find("greeter").orElseThrow().version()).isEqualTo("2.0.0");
        assertThat(catalog.find("greeter").orElseThrow().fragmentFile().orElseThrow()).isRegularFile();
    }

    @Test
    void everyBrokenPluginIsNamedWithItsReason() throws Exception {
        PluginZip.of("greeter", GreeterPlugin.class).declaredFragmentOnly("libstasis_greeter.so")
                .writeTo(pluginsDir.resolve("no-fragment.zip"));
        PluginZip.of("failing", FailingPlugin.class).writeTo(pluginsDir.resolve("failing.zip"));
        PluginZip.of("other", GreeterPlugin.class).fragment("libstasis_greeter.so")
                .writeTo(pluginsDir.resolve("wrong-id.zip"));
        PluginZip.of("future", GreeterPlugin.class).property("plugin.requires", ">=9.0.0")
                .writeTo(pluginsDir.resolve("future.zip"));
        PluginZip.of("lonely", GreeterPlugin.class).property("plugin.dependencies", "absent")
                .writeTo(pluginsDir.resolve("lonely.zip"));
        PluginZip.of("pid-virt", PidVirtPlugin.class).fragment("libstasis_pidvirt.so")
                .writeTo(pluginsDir.resolve("impostor.zip"));
        PluginZip.of("nameless", null).property("plugin.id", null).writeTo(pluginsDir.resolve("nameless.zip"));
        Files.writeString(pluginsDir.resolve("garbage.zip"), "not a zip");
        Files.createDirectories(pluginsDir.resolve("empty-dir"));
        Files.writeString(pluginsDir.resolve("README.txt"), "not a plugin, not looked at");

        PluginCatalog catalog = discover();
        assertThat(catalog.plugins()).extracting(InstalledPlugin::id).containsExactly("files", "ipc", "pid-virt", "pty",
                "sockets");
        assertThat(catalog.broken()).extracting(BrokenPlugin::message).containsExactlyInAnyOrder(
                "plugin 'greeter' (" + pluginsDir.resolve("no-fragment.zip") + ") is broken: its fragment "
                        + "native/libstasis_greeter.so is not in the plugin",
                "plugin 'failing' (" + pluginsDir.resolve("failing.zip") + ") is broken: cannot create "
                        + FailingPlugin.class.getName() + ": no configuration for failing",
                "plugin 'other' (" + pluginsDir.resolve("wrong-id.zip") + ") is broken: its extension's id is "
                        + "'greeter' but plugin.id is 'other'",
                "plugin 'future' (" + pluginsDir.resolve("future.zip") + ") is broken: it requires Stasis >=9.0.0; "
                        + "this is 0.1.0",
                "plugin 'lonely' (" + pluginsDir.resolve("lonely.zip") + ") is broken: its plugin.dependencies "
                        + "(absent) are not all in the plugins directory in a matching version",
                "plugin file " + pluginsDir.resolve("impostor.zip") + " is broken: its id 'pid-virt' is already a "
                        + "built-in plugin's",
                "plugin file " + pluginsDir.resolve("nameless.zip") + " is broken: cannot load it: Field 'id' "
                        + "cannot be empty",
                "plugin file " + pluginsDir.resolve("garbage.zip") + " is broken: cannot unpack it: zip END header "
                        + "not found",
                "plugin file " + pluginsDir.resolve("empty-dir") + " is broken: no plugin.properties in the "
                        + "directory");
        assertThat(catalog.knownIds()).contains("greeter", "failing", "other", "future", "lonely")
                .doesNotContain("nameless");
    }

    @Test
    void noPluginsDirectoryMeansBuiltInPluginsOnly() {
        PluginCatalog catalog = PluginDiscovery.discover(builtIns, Optional.empty(), "0.1.0",
                new PluginLocations(Optional.of(tmp.resolve("absent")), tmp.resolve("cache")));
        assertThat(catalog.plugins()).hasSize(5);
        assertThat(catalog.find("pid-virt").orElseThrow().fragmentFile()).as("installation unknown").isEmpty();
    }
}
