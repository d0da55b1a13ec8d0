package io.stasis.coordinator.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@link ProcessProbe} through /proc, for processes of this machine (same node name as REGISTER's host). */
public final class LocalProcessProbe implements ProcessProbe {

    private final String nodeName;

    public LocalProcessProbe() {
        this(readNodeName());
    }

    LocalProcessProbe(String nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public boolean isGone(String host, long pid) {
        if (!(host.isEmpty() || host.equals(nodeName)) || pid <= 0) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (comm) STATE …: comm may hold spaces and parentheses, the state follows the last ')'
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What {@code uname -n} says, which is what libstasis registers as its host. */
    private static String readNodeName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
