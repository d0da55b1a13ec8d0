package io.stasis.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stasis.coordinator.protocol.Secret;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void tmpdirPrecedence() {
        assertThat(StateDirectory.tmpdir(Map.of("STASIS_TMPDIR", "/a", "TMPDIR", "/b"))).isEqualTo(Path.of("/a"));
        assertThat(StateDirectory.tmpdir(Map.of("TMPDIR", "/b"))).isEqualTo(Path.of("/b"));
        assertThat(StateDirectory.tmpdir(Map.of("STASIS_TMPDIR", ""))).isEqualTo(Path.of("/tmp"));
        assertThat(StateDirectory.forPort(Map.of("TMPDIR", "/b"), 7779).path())
                .isEqualTo(Path.of("/b/stasis-" + UnixUser.uid() + "/coord-7779"));
    }

    @Test
    void createReadDelete() throws Exception {
        Map<String, String> env = Map.of("STASIS_TMPDIR", tmp.resolve("deep/er").toString());
        Secret secret = Secret.random(new SecureRandom());
        StateDirectory dir = StateDirectory.create(env, 4242, secret, 99);
        assertThat(dir.exists()).isTrue();
        assertThat(dir.readSecret()).isEqualTo(secret);
        assertThat(dir.readPort()).isEqualTo(4242);
        assertThat(dir.readPid()).isEqualTo(99);
        for (String f : new String[] {"secret", "port", "pid"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path().resolve(f))))
                    .isEqualTo("rw-------");
        }
        try (var files = Files.list(dir.path())) {
            assertThat(files).hasSize(3); // no temporary file left behind
        }
        // a stale directory is taken over
        Secret next = Secret.random(new SecureRandom());
        StateDirectory.create(env, 4242, next, 100);
        assertThat(dir.readSecret()).isEqualTo(next);

        dir.delete();
        assertThat(dir.path()).doesNotExist();
        assertThat(dir.exists()).isFalse();
        assertThatThrownBy(dir::readSecret).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void theSecretOfACoordinatorThatDiedIsLeftForTheNextOnItsPort() throws Exception {
        Map<String, String> env = Map.of("STASIS_TMPDIR", tmp.toString());
        assertThat(StateDirectory.forPort(env, 4242).leftSecret()).as("nobody ran there").isEmpty();
        Secret secret = Secret.random(new SecureRandom());
        StateDirectory dir = StateDirectory.create(env, 4242, secret, 99);
        assertThat(StateDirectory.forPort(env, 4242).leftSecret()).contains(secret);
        assertThat(StateDirectory.forPort(env, 4243).leftSecret()).as("another port").isEmpty();

        Files.setPosixFilePermissions(dir.path().resolve("secret"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(dir.leftSecret()).as("a secret others could read is not trusted").isEmpty();
        Files.writeString(dir.path().resolve("secret"), "not hex\n");
        Files.setPosixFilePermissions(dir.path().resolve("secret"), PosixFilePermissions.fromString("rw-------"));
        assertThat(dir.leftSecret()).as("a damaged secret").isEmpty();
    }

    @Test
    void openPermissionsOnTheUserRootAreTightened() throws Exception {
        Map<String, String> env = Map.of("STASIS_TMPDIR", tmp.toString());
        Path root = Files.createDirectory(StateDirectory.userRoot(env),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        StateDirectory.createUserRoot(env);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsRefused() throws Exception {
        Map<String, String> env = Map.of("STASIS_TMPDIR", tmp.toString());
        Files.writeString(StateDirectory.userRoot(env), "x");
        assertThatThrownBy(() -> StateDirectory.createUserRoot(env)).hasMessageContaining("is not a directory");
    }
}
