package io.stasis.tests.support;

import io.stasis.image.ImageReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * <p><b>This runs a nested build</b> (about 10 s, once per test JVM), offline and in the same local
 * repository as the outer build ({@code maven.repo.local}, passed down by the tests' pom), so it can use
 * nothing the outer build did not fetch — as on a fresh machine whose repository started empty. In a
 * whole-reactor build, core-api's jar and its parent pom are first published there as a release would be,
 * by copying them into the repository's layout: {@code mvn verify} installs nothing, and the install
 * plugin is not among what it fetches. Then {@code make} and {@code mvn -o package} in
 * {@code examples/counter-plugin}.
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
        Path localRepository = localRepository();
        if (!runningFromTheLocalRepository()) {
            publish(localRepository, "stasis-parent", version, repo.resolve("pom.xml"), null);
            publish(localRepository, "stasis-core-api", version, repo.resolve("core-api/pom.xml"), coreApiJar);
        }
        run(example, List.of("make", "-s", "STASIS_HOME=" + home.home()));
        run(example, List.of(maven(), "-B", "-o", "-q", "-f", example.resolve("pom.xml").toString(), "package",
                "-Dmaven.repo.local=" + localRepository, "-Dstasis.version=" + version));
        Path built = example.resolve("target/stasis-counter-plugin-1.0.0-plugin.zip");
        if (!Files.isRegularFile(built)) {
            throw new IllegalStateException("the example build made no " + built);
        }
        return built;
    }

    /** The outer build's local repository: the example may use only what that build fetched. */
    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local", "");
        return configured.isEmpty() || configured.startsWith("${")
                ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                : Path.of(configured);
    }

    /** What {@code mvn install} would leave in a local repository for one io.stasis artifact. */
    private static void publish(Path localRepository, String artifact, String version, Path pom, Path jar) {
        try {
            Path dir = Files.createDirectories(localRepository.resolve("io/stasis").resolve(artifact).resolve(version));
            String base = artifact + "-" + version;
            Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
            if (jar != null) {
                Files.copy(jar, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
