package io.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import io.stasis.api.plugin.ResourcePlugin;
import io.stasis.cli.plugin.InstalledPlugin;
import io.stasis.cli.plugin.PluginSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LD_PRELOAD: libstasis.so, the fragments in load order, then the user's own. */
class PreloadListTest {

    @TempDir
    Path tmp;

    private static InstalledPlugin plugin(String id, Optional<String> fragment, Optional<Path> file) {
        ResourcePlugin p = mock(ResourcePlugin.class);
        doReturn(id).when(p).id();
        doReturn(fragment).when(p).fragment();
        return new InstalledPlugin(p, "1", file.map(f -> f.getParent()), file);
    }

    @Test
    void runtimeThenFragmentsInLoadOrderThenTheUsersOwn() throws Exception {
        Installation home = TestCli.fakeInstallation(tmp.resolve("home"), false);
        Path pidVirt = Files.writeString(home.fragment("libstasis_pidvirt.so"), "");
        Path counter = Files.writeString(Files.createDirectories(tmp.resolve("cache/counter/native"))
                .resolve("libstasis_counter.so"), "");
        PluginSelection selection = new PluginSelection(List.of(
                plugin("pid-virt", Optional.of("libstasis_pidvirt.so"), Optional.of(pidVirt)),
                plugin("sockets", Optional.empty(), Optional.empty()),
                plugin("counter", Optional.of("libstasis_counter.so"), Optional.of(counter))), Map.of());
        String runtime = home.runtimeLibrary().toString();
        assertThat(PreloadList.compose(home, selection, null)).isEqualTo(runtime + ":" + pidVirt + ":" + counter);
        assertThat(PreloadList.compose(home, selection, "/a.so /b.so:" + runtime + "::/c.so"))
                .isEqualTo(runtime + ":" + pidVirt + ":" + counter + ":/a.so:/b.so:/c.so");

        Files.delete(counter);
        assertThatThrownBy(() -> PreloadList.compose(home, selection, null))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessage("plugin 'counter' is enabled but its native fragment " + counter
                        + " is missing (use --disable counter)");
    }
}
