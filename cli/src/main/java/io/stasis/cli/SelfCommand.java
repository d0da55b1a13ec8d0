package io.stasis.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How to run this command line again in a new JVM (to detach a coordinator). */
public record SelfCommand(List<String> prefix) {

    public SelfCommand {
        prefix = List.copyOf(prefix);
    }

    /** The running JVM's java, class path and {@code stasis.home}, with small-footprint options. */
    public static SelfCommand ofThisJvm(Optional<Installation> installation) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        installation.ifPresent(i -> command.add("-D" + Installation.HOME_PROPERTY + "=" + i.home()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        return new SelfCommand(command);
    }

    public List<String> with(List<String> arguments) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(arguments);
        return all;
    }
}
