package io.stasis.cli;

import io.stasis.api.plugin.ResourcePlugin;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Everything the commands take from the outside world, so tests can give them another one: environment,
 * working directory, output streams, the installation, the built-in plugins, how to exec a program and
 * how to run this command line again.
 *
 * @param interactive whether progress may be drawn on stderr (a terminal is attached)
 */
public record CliContext(Map<String, String> env, Path workingDirectory, PrintStream out, PrintStream err,
                         boolean interactive, Optional<Installation> installation, List<ResourcePlugin> plugins,
                         ProcessImage processImage, SelfCommand self) {

    public CliContext {
        env = Map.copyOf(env);
        plugins = List.copyOf(plugins);
    }

    /** The real process: {@code System.getenv()}, the current directory, {@code stasis.home}, ServiceLoader. */
    public static CliContext system() {
        // first, before this JVM opens anything else: what is open now was inherited (or is the JVM's jars)
        NativeExec exec = new NativeExec(NativeExec.openDescriptors());
        Optional<Installation> installation = Installation.fromProperty(System.getProperty(Installation.HOME_PROPERTY));
        List<ResourcePlugin> plugins = new ArrayList<>();
        ServiceLoader.load(ResourcePlugin.class).forEach(plugins::add);
        return new CliContext(System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err,
                System.console() != null, installation, plugins, exec, SelfCommand.ofThisJvm(installation));
    }

    /** The same context with one more (or another) environment variable. */
    public CliContext withEnvironment(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(env);
        more.put(name, value);
        return new CliContext(more, workingDirectory, out, err, interactive, installation, plugins, processImage, self);
    }

    public boolean debug() {
        return "1".equals(env.get("STASIS_DEBUG"));
    }

    public Installation requireInstallation() {
        return installation.orElseThrow(() -> new CliException(ExitCodes.ERROR,
                "the system property " + Installation.HOME_PROPERTY + " is not set: run stasis through bin/stasis"));
    }
}
