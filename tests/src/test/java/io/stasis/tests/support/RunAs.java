package io.stasis.tests.support;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity test processes run as. Stasis promises to need no root, so when the tests
 * run as root everything they start drops to nobody (65534) with no capabilities; otherwise
 * processes run as the test's own user.
 */
public record RunAs(boolean dropsPrivileges, int uid, int gid) {

    public static final int NOBODY = 65534;
    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

    public static RunAs detect() {
        UnixSystem self = new UnixSystem();
        if (self.getUid() == 0) {
            return new RunAs(true, NOBODY, NOBODY);
        }
        return new RunAs(false, (int) self.getUid(), (int) self.getGid());
    }

    /** The command, prefixed with {@code setpriv} when privileges are dropped (setpriv execs, so the pid stays). */
    List<String> wrap(List<String> command) {
        if (!dropsPrivileges) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(setpriv().toString(), "--reuid=" + uid, "--regid=" + gid,
                "--clear-groups", "--inh-caps=-all", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives {@code path} to the user processes run as (a no-op when that is us). */
    void own(Path path) {
        if (!dropsPrivileges) {
            return;
        }
        try {
            Files.setAttribute(path, "unix:uid", uid);
            Files.setAttribute(path, "unix:gid", gid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot chown " + path, e);
        }
    }

    private static Path setpriv() {
        return SETPRIV.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("running as root needs setpriv (util-linux) to drop "
                        + "privileges; install it or run the tests as an ordinary user"));
    }
}
