package io.stasis.cli.plugin;

import static io.stasis.cli.plugin.Plugins.mocked;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stasis.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stasis restart} refuses an image whose plugins are not all here. */
class RequiredPluginsTest {

    @TempDir
    Path tmp;

    @Test
    void everyMissingBrokenOrFragmentlessPluginIsNamedWithExitCode5() throws Exception {
        Path fragment = Files.writeString(tmp.resolve("libstasis_pidvirt.so"), "");
        InstalledPlugin pidVirt = new InstalledPlugin(mocked("pid-virt", true), "1", Optional.empty(),
                Optional.of(fragment));
        InstalledPlugin pty = new InstalledPlugin(mocked("pty", true), "1", Optional.empty(),
                Optional.of(tmp.resolve("libstasis_pty.so")));
        PluginCatalog catalog = new PluginCatalog(List.of(pidVirt, pty), List.of(
                new BrokenPlugin(Optional.of("greeter"), tmp.resolve("greeter.zip"), "it failed to start: boom")));
        Path image = Path.of("/ckpt/ckpt_a_1.stasis");

        assertThatCode(() -> RequiredPlugins.check(image, List.of("pid-virt"), catalog)).doesNotThrowAnyException();
        InstalledPlugin sockets = new InstalledPlugin(mocked("sockets", true), "1", Optional.empty(), Optional.empty());
        PluginCatalog withSockets = new PluginCatalog(List.of(pidVirt, sockets), List.of());
        assertThatCode(() -> RequiredPlugins.check(image, List.of("pid-virt", "sockets"), withSockets))
                .as("an older image listing a plugin that restores nothing").doesNotThrowAnyException();
        assertThatThrownBy(() -> RequiredPlugins.check(image, List.of("pid-virt", "counter", "greeter", "pty"), catalog))
                .isInstanceOfSatisfying(CliException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.exitCode()).isEqualTo(5))
                .hasMessage("cannot restart /ckpt/ckpt_a_1.stasis: it needs plugin 'counter', which is not installed "
                        + "here; plugin 'greeter', which is broken here: it failed to start: boom; plugin 'pty', whose "
                        + "fragment " + tmp.resolve("libstasis_pty.so") + " is missing");
    }
}
