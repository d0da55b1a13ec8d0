package io.stasis.cli;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code execve} through JNA, after undoing what the JVM would otherwise pass on: blocked signals of the
 * calling thread, ignored signals (handled ones are reset by execve itself), and descriptors the JVM
 * opened without close-on-exec (its modules file and jars, /dev/urandom, NIO's internal socket, …).
 * Descriptors this process inherited are left alone: they belong to the program.
 */
final class NativeExec implements ProcessImage {

    private final Set<Integer> inherited;

    /**
     * @param inherited descriptors open when {@code main} started ({@link #openDescriptors()}): the JVM's
     *                  own among them are recognised by their file, every later one is the JVM's
     */
    NativeExec(Set<Integer> inherited) {
        this.inherited = Set.copyOf(inherited);
    }

    /** The descriptors open now, from /proc/self/fd (without the one used to list them). */
    static Set<Integer> openDescriptors() {
        Set<Integer> open = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                open.add(Integer.parseInt(fd.getFileName().toString()));
            }
        } catch (IOException e) {
            return Set.of();
        }
        // the directory stream's own descriptor was in the listing and is closed now
        open.removeIf(fd -> !Files.exists(Path.of("/proc/self/fd/" + fd)));
        return open;
    }

    /**
     * Set by {@code stasis batch} for its launch or restart: a signal number the kernel sends the program when
     * the batch wrapper dies, so that a SIGKILLed wrapper leaves no program running on. It is asked for here, on
     * the thread that execs: the kernel keeps it per thread and execve keeps the caller's.
     */
    static final String PARENT_DEATH_SIGNAL = "STASIS_PARENT_DEATH_SIGNAL";

    private static final int ENOENT = 2;
    private static final int ENOEXEC = 8;
    private static final int EACCES = 13;

    @Override
    public void replace(Path program, List<String> argv, Map<String, String> env) {
        LibC libc = Native.load("c", LibC.class);
        System.out.flush();
        System.err.flush();
        closeJvmDescriptorsOnExec(libc);
        unblockAndUnignoreSignals(libc);
        String deathSignal = env.get(PARENT_DEATH_SIGNAL);
        if (deathSignal != null && deathSignal.matches("[1-9][0-9]?")) {
            libc.prctl(LibC.PR_SET_PDEATHSIG, Long.parseLong(deathSignal), 0, 0, 0);
        }
        List<String> envp = new ArrayList<>();
        env.forEach((k, v) -> {
            if (!k.equals(PARENT_DEATH_SIGNAL) && !k.equals(SECRET)) {
                envp.add(k + "=" + v);
            }
        });
        int secretFd = env.containsKey(SECRET) ? handOver(libc, env.get(SECRET)) : -1;
        if (secretFd >= 0) {
            envp.add(SECRET_FD + "=" + secretFd);
        }
        try {
            libc.execve(program.toString(), argv.toArray(String[]::new), envp.toArray(String[]::new));
        } catch (LastErrorException e) {
            if (secretFd >= 0) {
                libc.close(secretFd);
            }
            int errno = e.getErrorCode();
            String why = switch (errno) {
                case ENOENT -> "no such file (or its interpreter is missing)";
                case EACCES -> "permission denied";
                case ENOEXEC -> "not an executable format";
                default -> "errno " + errno;
            };
            int code = errno == ENOENT || errno == EACCES || errno == ENOEXEC ? ExitCodes.NOT_FOUND : ExitCodes.ERROR;
            throw new CliException(code, "cannot execute " + program + ": " + why);
        }
        throw new CliException(ExitCodes.ERROR, "execve returned without an error");
    }

    /**
     * The coordinator's secret goes to the program (libstasis, stasis-restart) on a pipe whose read end it
     * inherits, named in {@code STASIS_SECRET_FD}, never in its environment block: the kernel shows that to
     * anyone who may read /proc/PID/environ, and it is in the program's memory, so in its images.
     */
    static final String SECRET = "STASIS_SECRET";
    static final String SECRET_FD = "STASIS_SECRET_FD";

    /** The read end of a pipe holding {@code value}, inherited across execve. */
    private static int handOver(LibC libc, String value) {
        int[] fds = new int[2];
        try {
            libc.pipe(fds);
        } catch (LastErrorException e) {
            throw new CliException(ExitCodes.ERROR, "cannot make a pipe for the coordinator's secret: errno "
                    + e.getErrorCode());
        }
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        boolean written = false;
        try {
            // far below a pipe's capacity: never blocks, and the reader finds all of it
            written = libc.write(fds[1], bytes, bytes.length) == bytes.length;
        } catch (LastErrorException e) {
            written = false;
        } finally {
            libc.close(fds[1]);
        }
        if (!written) {
            libc.close(fds[0]);
            throw new CliException(ExitCodes.ERROR, "cannot hand over the coordinator's secret through a pipe");
        }
        return fds[0];
    }

    private static void unblockAndUnignoreSignals(LibC libc) {
        Memory empty = new Memory(LibC.SIGSET_SIZE);
        empty.clear();
        libc.pthread_sigmask(LibC.SIG_SETMASK, empty, Pointer.NULL);
        for (int sig = 1; sig <= 64; sig++) {
            if (sig == 9 || sig == 19 || sig == 32 || sig == 33) {
                continue; // SIGKILL, SIGSTOP, and glibc's two internal signals
            }
            IgnoredSignals.restoreDefault(libc, sig);
        }
    }

    /** The JVM opens its own files without O_CLOEXEC; they must not leak into the program (and its images). */
    private void closeJvmDescriptorsOnExec(LibC libc) {
        String javaHome = System.getProperty("java.home");
        List<Integer> jvmOwned = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                int n = Integer.parseInt(fd.getFileName().toString());
                if (n <= 2) {
                    continue;
                }
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;
                }
                boolean jvmFile = target.startsWith(javaHome) || target.endsWith(".jar")
                        || (target.contains("jna") && target.endsWith(".so"));
                if (!inherited.contains(n) || jvmFile) {
                    jvmOwned.add(n);
                }
            }
        } catch (IOException e) {
            return; // best effort: the program still runs
        }
        for (int fd : jvmOwned) {
            int flags = libc.fcntl(fd, LibC.F_GETFD, 0);
            if (flags >= 0) {
                libc.fcntl(fd, LibC.F_SETFD, flags | LibC.FD_CLOEXEC);
            }
        }
    }
}
