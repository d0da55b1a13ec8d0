package io.stasis.coordinator.state;

import io.stasis.coordinator.protocol.Secret;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A coordinator's state directory {@code $STASIS_TMPDIR/stasis-<uid>/coord-<port>/}: {@code secret}
 * (64 lowercase hex digits, mode 0600), {@code port} and {@code pid}. The coordinator creates it once it
 * listens and removes it when it quits; the command line reads the secret from it to authenticate. One left
 * behind by a coordinator that died keeps its secret for the next coordinator on that port, which adopts the
 * processes still running with it.
 */
public final class StateDirectory {

    public static final String SECRET_FILE = "secret";
    public static final String PORT_FILE = "port";
    public static final String PID_FILE = "pid";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final int port;

    private StateDirectory(Path path, int port) {
        this.path = path;
        this.port = port;
    }

    /** {@code $STASIS_TMPDIR}, then {@code $TMPDIR}, then {@code /tmp}. */
    public static Path tmpdir(Map<String, String> env) {
        for (String name : new String[] {"STASIS_TMPDIR", "TMPDIR"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        return Path.of("/tmp");
    }

    /** {@code <tmpdir>/stasis-<uid>}: this user's coordinators, and the daemon logs. */
    public static Path userRoot(Map<String, String> env) {
        return tmpdir(env).resolve("stasis-" + UnixUser.uid());
    }

    /** Where the coordinator on {@code port} keeps its state; it may not exist. */
    public static StateDirectory forPort(Map<String, String> env, int port) {
        return new StateDirectory(userRoot(env).resolve("coord-" + port), port);
    }

    /** Creates {@code userRoot} (0700, checked to be ours) if needed. */
    public static Path createUserRoot(Map<String, String> env) throws IOException {
        Path root = userRoot(env);
        Files.createDirectories(root.getParent());
        PrivateFiles.directory(root, UnixUser.uid());
        return root;
    }

    /** Creates (or takes over a stale) state directory for a coordinator that listens on {@code port}. */
    public static StateDirectory create(Map<String, String> env, int port, Secret secret, long pid)
            throws IOException {
        createUserRoot(env);
        StateDirectory dir = forPort(env, port);
        PrivateFiles.directory(dir.path, UnixUser.uid());
        PrivateFiles.write(dir.path.resolve(SECRET_FILE), secret.hex() + "\n");
        PrivateFiles.write(dir.path.resolve(PORT_FILE), port + "\n");
        PrivateFiles.write(dir.path.resolve(PID_FILE), pid + "\n");
        return dir;
    }

    /**
     * The secret a coordinator that died left in its state directory, for the next one on its port: the
     * processes it leaves behind keep trying to reach it with that secret. Empty when there is none, or when the
     * directory or the file is not private to this user (then it is not trusted).
     */
    public Optional<Secret> leftSecret() {
        Path file = path.resolve(SECRET_FILE);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) != UnixUser.uid()
                    || (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS) != UnixUser.uid()
                    || !Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
                return Optional.empty();
            }
            return Optional.of(Secret.fromHex(Files.readString(file)));
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    public Path path() {
        return path;
    }

    public int port() {
        return port;
    }

    public boolean exists() {
        return Files.isRegularFile(path.resolve(SECRET_FILE));
    }

    /** The secret; {@link NoSuchFileException} when no coordinator ever ran (or it quit). */
    public Secret readSecret() throws IOException {
        String hex = Files.readString(path.resolve(SECRET_FILE));
        try {
            return Secret.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IOException(path.resolve(SECRET_FILE) + " is damaged: " + e.getMessage());
        }
    }

    public long readPid() throws IOException {
        return readNumber(PID_FILE);
    }

    public int readPort() throws IOException {
        return (int) readNumber(PORT_FILE);
    }

    /** Removes the files this class writes and the directory; leaves anything else (and then the directory). */
    public void delete() throws IOException {
        for (String name : new String[] {SECRET_FILE, PORT_FILE, PID_FILE}) {
            Files.deleteIfExists(path.resolve(name));
        }
        try (DirectoryStream<Path> rest = Files.newDirectoryStream(path)) {
            if (rest.iterator().hasNext()) {
                return;
            }
        } catch (NoSuchFileException e) {
            return;
        }
        Files.deleteIfExists(path);
    }

    private long readNumber(String name) throws IOException {
        String text = Files.readString(path.resolve(name)).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(path.resolve(name) + " does not hold a number");
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
