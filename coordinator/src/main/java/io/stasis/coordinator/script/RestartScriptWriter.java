package io.stasis.coordinator.script;

import io.stasis.coordinator.engine.CheckpointOutcome;
import io.stasis.coordinator.engine.ImageInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the restart script of a successful checkpoint into every directory that holds one of its images:
 * {@code stasis_restart_script_<host>-<port>.sh}, named after this coordinator so that computations of
 * several coordinators can share a directory, and {@code stasis_restart_script.sh}, a symbolic link to the
 * latest one. The script restarts every image of the checkpoint: one {@code stasis restart} per host with the
 * images of that host, hosts in parallel; coordinator, image
 * directory and {@code stasis} command are variables at the top (and options of the script), so it is easy
 * to edit for a migration. Images in the script's own directory are named relative to it, so the directory
 * can be moved.
 */
public final class RestartScriptWriter {

    /** The name of the link to the latest script. */
    public static final String FILE_NAME = "stasis_restart_script.sh";

    private final Optional<Path> stasisCommand;
    private final String machine;

    /** Scripts that run {@code stasis} from PATH. */
    public RestartScriptWriter() {
        this(Optional.empty());
    }

    /** Scripts that run {@code stasisCommand} (when it exists where they run; else {@code stasis} from PATH). */
    public RestartScriptWriter(Optional<Path> stasisCommand) {
        this.stasisCommand = stasisCommand;
        this.machine = thisMachine();
    }

    /** {@code stasis_restart_script_<host>-<port>.sh} of the coordinator on {@code port} of this machine. */
    public String scriptName(int coordinatorPort) {
        return "stasis_restart_script_" + machine + "-" + coordinatorPort + ".sh";
    }

    /**
     * Returns the scripts written (not the links). Images reported with a relative path, or in a directory
     * this machine does not see (another host without a shared file system), get no script there.
     */
    public List<Path> write(CheckpointOutcome outcome, String coordinatorHost, int coordinatorPort)
            throws IOException {
        Set<Path> directories = new LinkedHashSet<>();
        for (ImageInfo image : outcome.images()) {
            Path path = Path.of(image.path());
            if (path.isAbsolute() && path.getParent() != null && Files.isDirectory(path.getParent())) {
                directories.add(path.getParent());
            }
        }
        List<Path> written = new ArrayList<>();
        for (Path directory : directories) {
            String script = render(outcome.images(), directory, outcome.generation(),
                    Instant.ofEpochMilli(outcome.startedMillis()), coordinatorHost, coordinatorPort, stasisCommand);
            Path target = writeAtomically(directory, scriptName(coordinatorPort), script);
            linkAtomically(directory, FILE_NAME, target.getFileName());
            written.add(target);
        }
        return written;
    }

    /** The script kept in {@code directory}, restarting {@code images}. */
    static String render(List<ImageInfo> images, Path directory, long generation, Instant time, String host,
                         int port, Optional<Path> stasisCommand) {
        Map<String, List<String>> byHost = new LinkedHashMap<>();
        for (ImageInfo image : images) {
            Path path = Path.of(image.path());
            String named = directory.equals(path.getParent()) ? path.getFileName().toString() : image.path();
            byHost.computeIfAbsent(image.host(), h -> new ArrayList<>()).add(named);
        }
        StringBuilder s = new StringBuilder();
        s.append("#!/usr/bin/env bash\n");
        s.append("# Written by the Stasis coordinator after checkpoint generation ").append(generation)
                .append(" (").append(time).append(").\n");
        s.append("# Restarts the ").append(count(images.size(), "image")).append(" of the checkpoint (")
                .append(count(byHost.size(), "host")).append(") against the coordinator below.\n");
        s.append("# To migrate, edit the variables below or run it with --coord-host H, --coord-port P,\n");
        s.append("# --restartdir DIR (where the images are now; default: this script's directory),\n");
        s.append("# --path-map OLD=NEW (repeatable: the files under OLD are under NEW now).\n");
        s.append("set -euo pipefail\n\n");
        s.append("coord_host=${STASIS_COORD_HOST:-").append(ShellQuote.quote(host)).append("}\n");
        s.append("coord_port=${STASIS_COORD_PORT:-").append(port).append("}\n");
        s.append("here=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n");
        s.append("restart_dir=${STASIS_RESTART_DIR:-$here}\n");
        s.append("path_map=()\n");
        s.append("stasis=${STASIS_BIN:-").append(ShellQuote.quote(stasisCommand.map(Path::toString).orElse("stasis")))
                .append("}\n");
        s.append("[[ -x $stasis ]] || stasis=stasis\n\n");
        s.append("while (($#)); do\n");
        s.append("    case $1 in\n");
        s.append("        --coord-host) coord_host=$2; shift 2 ;;\n");
        s.append("        --coord-port) coord_port=$2; shift 2 ;;\n");
        s.append("        --restartdir) restart_dir=$2; shift 2 ;;\n");
        s.append("        --path-map) path_map+=(--path-map \"$2\"); shift 2 ;;\n");
        s.append("        *) echo \"usage: $0 [--coord-host HOST] [--coord-port PORT] [--restartdir DIR]\" \\\n");
        s.append("                \"[--path-map OLD=NEW]...\" >&2; exit 2 ;;\n");
        s.append("    esac\n");
        s.append("done\n\n");
        s.append("# restart_on HOST IMAGE...: restarts the images of HOST (one process tree), through ssh unless\n");
        s.append("# HOST is this machine. The processes meet again at the coordinator's restart barriers.\n");
        s.append("restart_on() {\n");
        s.append("    local host=$1\n");
        s.append("    shift\n");
        s.append("    local cmd=(\"$stasis\" restart --coord-host \"$coord_host\" --coord-port \"$coord_port\"\n");
        s.append("               --restartdir \"$restart_dir\" \"${path_map[@]}\" \"$@\")\n");
        s.append("    if [[ $host == \"$HOSTNAME\" || $host == \"${HOSTNAME%%.*}\" || $host == localhost ]]; then\n");
        s.append("        \"${cmd[@]}\"\n");
        s.append("    else\n");
        s.append("        ssh \"$host\" \"${cmd[*]@Q}\"\n");
        s.append("    fi\n");
        s.append("}\n\n");
        boolean background = byHost.size() > 1;
        for (Map.Entry<String, List<String>> e : byHost.entrySet()) {
            s.append("# host ").append(e.getKey().replace('\n', ' ')).append(": ")
                    .append(count(e.getValue().size(), "image")).append('\n');
            s.append("restart_on ").append(ShellQuote.quote(e.getKey()));
            for (String image : e.getValue()) {
                s.append(" \\\n    ").append(ShellQuote.quote(image));
            }
            s.append(background ? " &\n" : "\n");
        }
        if (background) {
            s.append("\nstatus=0\n");
            s.append("for job in $(jobs -p); do wait \"$job\" || status=$?; done\n");
            s.append("exit \"$status\"\n");
        }
        return s.toString();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static Path writeAtomically(Path directory, String name, String script) throws IOException {
        Path target = directory.resolve(name);
        Path temp = Files.createTempFile(directory, "." + name, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.writeString(temp, script, StandardCharsets.UTF_8);
            // a batch job copies the directory away as soon as the checkpoint returns: the script must be on disk
            try (FileChannel file = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                file.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    /** {@code directory/name → target}, replacing whatever had that name (an older script, an older link). */
    private static void linkAtomically(Path directory, String name, Path target) throws IOException {
        Path temp = directory.resolve("." + name + "." + ProcessHandle.current().pid() + ".link");
        Files.deleteIfExists(temp);
        Files.createSymbolicLink(temp, target);
        try {
            Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** This machine's short name, as a file name part. */
    private static String thisMachine() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "localhost";
        }
        String plain = name.replaceAll("[^A-Za-z0-9.-]", "_");
        return plain.isEmpty() ? "localhost" : plain;
    }
}
