package io.stasis.cli;

import io.stasis.api.plugin.ResourcePlugin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** Runs {@link Main} in-process with a made-up environment, captured output, and no real exec. */
final class TestCli {

    /** What a launch or restart would have exec'd. */
    record Exec(Path program, List<String> argv, Map<String, String> env) {
    }

    final Map<String, String> env = new HashMap<>();
    final List<Exec> execs = new ArrayList<>();
    Path cwd;
    Optional<Installation> installation = Optional.empty();
    List<ResourcePlugin> plugins = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    TestCli(Path tmp) {
        cwd = tmp;
        env.put("STASIS_TMPDIR", tmp.toString());
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", tmp.toString()); // no user config file
        ServiceLoader.load(ResourcePlugin.class).forEach(plugins::add);
    }

    int run(String... args) {
        out.reset();
        err.reset();
        CliContext ctx = new CliContext(env, cwd, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, installation, plugins,
                (program, argv, environment) -> execs.add(new Exec(program, List.copyOf(argv), Map.copyOf(environment))),
                SelfCommand.ofThisJvm(installation));
        return new Main(ctx).run(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    Exec lastExec() {
        return execs.get(execs.size() - 1);
    }

    /** An installation with an empty libstasis.so and every declared fragment. */
    static Installation fakeInstallation(Path home, boolean withFragments) throws IOException {
        Path lib = Files.createDirectories(home.resolve("lib/native"));
        Files.writeString(lib.resolve("libstasis.so"), "");
        if (withFragments) {
            for (ResourcePlugin p : ServiceLoader.load(ResourcePlugin.class)) {
                if (p.fragment().isPresent()) {
                    Files.writeString(lib.resolve(p.fragment().get()), "");
                }
            }
        }
        Path restarter = Files.createDirectories(home.resolve("libexec")).resolve("stasis-restart");
        Files.writeString(restarter, "#!/bin/sh\n");
        restarter.toFile().setExecutable(true);
        return new Installation(home);
    }
}
