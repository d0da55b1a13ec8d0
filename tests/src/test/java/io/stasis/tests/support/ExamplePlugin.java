package io.stasis.tests.support;

import io.stasis.image.ImageReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The example third-party plugin of {@code examples/counter-plugin}, built the way its README says — its
 * own Makefile against the installed {@code include/stasis/plugin.h}, its own pom against the
 * {@code stasis-core-api} artifact in the local Maven repository — outside Stasis's reactor.
 *
 * <p><b>This runs a nested build</b> (about 10 s, once per test JVM): in a whole-reactor build, {@code mvn
 * install} of the parent pom and {@code install:install-file} of core-api's jar as this reactor built it
 * (publishing it locally, as a release would: {@code mvn verify} alone does not install); then {@code make}
 * and {@code mvn -o package} in {@code examples/counter-plugin}. Maven must be able to work offline: the
 * reactor's own build has fetched every plugin the example uses.
 */
public final class ExamplePlugin {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);
    private static Path zip;

    private ExamplePlugin() {
    }

    /** {@code examples/counter-plugin/target/stasis-counter-plugin-1.0.0-plugin.zip}, built on first use. */
    public static synchronized Path zip(StasisHome home) {
        if (zip == null) {
            zip = build(home);
        }
        return zip;
    }

    /** A fresh directory holding only the plugin's zip, readable by the user test processes run as. */
    public static Path pluginsDir(Sandbox sandbox, String name) {
        Path dir = sandbox.dir().resolve(name);
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path copy = dir.resolve(zip(sandbox.stasisHome()).getFileName());
            Files.copy(zip(sandbox.stasisHome()), copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** An empty directory: no third-party plugin at all. */
    public static Path emptyPluginsDir(Sandbox sandbox, String name) {
        try {
            Path dir = Files.createDirectories(sandbox.dir().resolve(name));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path build(StasisHome home) {
        Path repo = home.repo();
        Path example = repo.resolve("examples/counter-plugin");
        String version = System.getProperty("stasis.version", "0.1.0-SNAPSHOT");
        Path coreApiJar = repo.resolve("core-api/target/stasis-core-api-" + version + ".jar");
        if (!Files.isRegularFile(coreApiJar)) {
            throw new IllegalStateException(coreApiJar + " is missing: build the reactor first (mvn -B package)");
        }
        String mvn = maven();
        if (!runningFromTheLocalRepository()) {
            run(repo, List.of(mvn, "-B", "-o", "-q", "-N", "-f", repo.resolve("pom.xml").toString(), "install",
                    "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file", "-Dfile=" + coreApiJar,
                    "-DpomFile=" + repo.resolve("core-api/pom.xml")));
        }
        run(example, List.of("make", "-s", "STASIS_HOME=" + home.home()));
        run(example, List.of(mvn, "-B", "-o", "-q", "-f", example.resolve("pom.xml").toString(), "package",
                "-Dstasis.version=" + version));
        Path built = example.resolve("target/stasis-counter-plugin-1.0.0-plugin.zip");
        if (!Files.isRegularFile(built)) {
            throw new IllegalStateException("the example build made no " + built);
        }
        return built;
    }

    /**
     * Whether this JVM loads core-api from the local Maven repository ({@code mvn -pl tests}): then that jar
     * is what was installed, and overwriting it under the running tests would break their class loading.
     * In a whole-reactor build (CI's {@code mvn verify}) it comes from {@code core-api/target} instead.
     */
    private static boolean runningFromTheLocalRepository() {
        try {
            Path loadedFrom = Path.of(ImageReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return !loadedFrom.toString().contains("/core-api/target/");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String maven() {
        String home = System.getProperty("maven.home", "");
        Path mvn = Path.of(home, "bin", "mvn");
        return !home.isEmpty() && Files.isExecutable(mvn) ? mvn.toString() : "mvn";
    }

    private static void run(Path directory, List<String> command) {
        try {
            Path log = Files.createTempFile("stasis-example-build-", ".log");
            Process p = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            if (p.exitValue() != 0) {
                throw new AssertionError("the example plugin's build failed (exit " + p.exitValue() + "): $ "
                        + String.join(" ", command) + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
