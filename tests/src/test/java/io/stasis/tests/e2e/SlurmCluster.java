package io.stasis.tests.e2e;

import io.stasis.tests.support.ProcessTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real single-node Slurm from Debian's packages (slurmctld, slurmd, slurm-client, munge), private to one test
 * class: its own munged (key and socket in a temporary directory), a slurm.conf with its own ports, state, spool
 * and logs, no cgroups (proctrack/linuxproc, task/none), credentials that expire after 10 s so that a requeued job
 * may start again about 11 s later. Daemons run as root in the foreground as this JVM's children, so each is
 * stopped by its pid, with whatever it started. Jobs are submitted by the tests as the sandbox's user.
 */
final class SlurmCluster implements AutoCloseable {

    private static final List<String> PROGRAMS = List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd",
            "/usr/bin/sbatch", "/usr/bin/scontrol", "/usr/bin/sinfo", "/usr/bin/munge");
    private static final Duration READY = Duration.ofSeconds(60);

    private final Path dir;
    private final Path conf;
    private final List<Process> daemons = new ArrayList<>();

    private SlurmCluster(Path dir) {
        this.dir = dir;
        this.conf = dir.resolve("slurm.conf");
    }

    /** Why no cluster can be started here, or empty when it can. Under CI (CI=true) there is no excuse. */
    static Optional<String> unavailable() {
        Optional<String> why = reason();
        if (why.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run SlurmTest, but " + why.get());
        }
        return why;
    }

    private static Optional<String> reason() {
        List<String> missing = PROGRAMS.stream().filter(p -> !Files.isExecutable(Path.of(p))).toList();
        if (!missing.isEmpty()) {
            return Optional.of("the Slurm packages are not installed (missing " + String.join(", ", missing)
                    + "): run setup.sh as root (apt-get install slurmctld slurmd slurm-client munge)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("slurmd must run as root to start jobs as their users; these tests run as "
                    + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    static SlurmCluster start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("stasis-slurm-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        SlurmCluster cluster = new SlurmCluster(dir);
        try {
            cluster.boot();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code SLURM_CONF} for every Slurm command of this cluster. */
    Map<String, String> environment() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    Path directory() {
        return dir;
    }

    private void boot() throws IOException, InterruptedException {
        for (String sub : List.of("munge", "state", "spool", "log")) {
            Files.createDirectory(dir.resolve(sub), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString(sub.equals("munge") ? "rwx--x--x" : "rwx------")));
        }
        // munge: a key of our own, a socket everybody can reach (the job's user asks for credentials)
        Path key = dir.resolve("munge/munge.key");
        byte[] secret = new byte[1024];
        new SecureRandom().nextBytes(secret);
        Files.write(key, secret);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        Path socket = dir.resolve("munge/munge.socket");
        daemon("munged", List.of("/usr/sbin/munged", "--foreground", "--force", "--socket=" + socket,
                "--key-file=" + key, "--log-file=" + dir.resolve("log/munged.log"),
                "--pid-file=" + dir.resolve("munge/munged.pid"), "--seed-file=" + dir.resolve("munge/munged.seed")));
        await("munged's socket", () -> Files.exists(socket));

        Node node = Node.ofThisMachine();
        int controller = freePort();
        int slurmd = freePort();
        List<String> lines = new ArrayList<>(List.of(
                "ClusterName=stasistest",
                "SlurmctldHost=" + node.name(),
                "SlurmctldPort=" + controller,
                "SlurmdPort=" + slurmd,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + socket + ",cred_expire=10",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "DefMemPerCPU=1000",
                "JobRequeue=1",
                "ReturnToService=2",
                "MpiDefault=none",
                "JobCompType=jobcomp/none",
                "AccountingStorageType=accounting_storage/none",
                "JobAcctGatherType=jobacct_gather/none",
                // a pending job whose begin time passed starts within seconds, not at the next minute's pass
                "SchedulerParameters=sched_interval=2,bf_interval=2",
                "KillWait=5",
                "MinJobAge=600",
                "NodeName=" + node.name() + " CPUs=" + node.cpus() + " RealMemory=" + node.memory() + " State=UNKNOWN",
                "PartitionName=test Nodes=" + node.name() + " Default=YES MaxTime=INFINITE State=UP"));
        Files.write(conf, lines, StandardCharsets.UTF_8);
        daemon("slurmctld", List.of("/usr/sbin/slurmctld", "-D", "-i", "-f", conf.toString()));
        daemon("slurmd", List.of("/usr/sbin/slurmd", "-D", "-f", conf.toString()));
        await("an idle node", () -> run("sinfo", "-h", "-o", "%T").strip().equals("idle"));
    }

    /** Runs a Slurm command as the test's user; its stdout, or "" when it fails. */
    String run(String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(environment());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A field of {@code scontrol show job}, e.g. JobState. */
    Optional<String> jobField(String job, String field) {
        Matcher m = Pattern.compile("\\b" + field + "=(\\S*)").matcher(run("scontrol", "-o", "show", "job", job));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The daemons' logs, for a failure message. */
    String logs() {
        StringBuilder s = new StringBuilder();
        for (String log : List.of("slurmctld.log", "slurmd.log", "munged.log")) {
            Path file = dir.resolve("log").resolve(log);
            try {
                List<String> all = Files.exists(file) ? Files.readAllLines(file) : List.of();
                s.append("--- ").append(log).append(" (last 40 lines)\n")
                        .append(String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()))).append('\n');
            } catch (IOException e) {
                s.append("--- ").append(log).append(": ").append(e).append('\n');
            }
        }
        return s.toString();
    }

    /** Cancels every job, then stops slurmd (and every process it started), slurmctld and munged, by pid. */
    @Override
    public void close() {
        if (!daemons.isEmpty()) {
            run("scancel", "--state=PENDING,RUNNING,SUSPENDED", "--full", "--partition=test");
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process daemon = daemons.get(i);
            Set<Long> tree = new HashSet<>(ProcessTable.descendants(List.of(daemon.pid())));
            daemon.destroy();
            try {
                if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                    daemon.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tree.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        daemons.clear();
        if (!Boolean.getBoolean("stasis.keepSandbox")) {
            delete(dir);
        }
    }

    private void daemon(String name, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log/" + name + ".out").toFile());
        pb.environment().putAll(environment());
        daemons.add(pb.start());
    }

    private interface Check {
        boolean ok() throws IOException;
    }

    private void await(String what, Check check) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (!check.ok()) {
            for (Process d : daemons) {
                if (!d.isAlive()) {
                    throw new IllegalStateException(d.info().command().orElse("a daemon") + " exited with "
                            + d.exitValue() + " while waiting for " + what + "\n" + logs());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + READY.toSeconds() + " s\n" + logs());
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void delete(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }

    /** What {@code slurmd -C} finds on this machine. */
    private record Node(String name, int cpus, long memory) {
        static Node ofThisMachine() throws IOException {
            Process p = new ProcessBuilder("/usr/sbin/slurmd", "-C").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher name = Pattern.compile("NodeName=(\\S+)").matcher(out);
            Matcher cpus = Pattern.compile("\\bCPUs=(\\d+)").matcher(out);
            Matcher memory = Pattern.compile("RealMemory=(\\d+)").matcher(out);
            if (!name.find() || !cpus.find() || !memory.find()) {
                throw new IllegalStateException("slurmd -C said: " + out);
            }
            return new Node(name.group(1), Integer.parseInt(cpus.group(1)), Long.parseLong(memory.group(1)));
        }
    }
}
