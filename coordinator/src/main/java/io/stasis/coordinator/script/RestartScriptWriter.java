package io.stasis.coordinator.script;

import io.stasis.coordinator.engine.CheckpointOutcome;
import io.stasis.coordinator.engine.ImageInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code stasis_restart_script.sh} next to the images of a successful checkpoint: one script per
 * directory holding images, each restarting the images of its directory, grouped by host. Image paths
 * are relative to the script, so the directory can be moved; coordinator host and port are variables
 * at the top, so the script is easy to edit for a migration.
 */
public final class RestartScriptWriter {

    public static final String FILE_NAME = "stasis_restart_script.sh";

    /**
     * Returns the scripts written. Images reported with a relative path, or in a directory this machine
     * does not see (another host without a shared file system), get no script.
     */
    public List<Path> write(CheckpointOutcome outcome, String coordinatorHost, int coordinatorPort)
            throws IOException {
        Map<Path, List<ImageInfo>> byDirectory = new LinkedHashMap<>();
        for (ImageInfo image : outcome.images()) {
            Path path = Path.of(image.path());
            if (path.isAbsolute() && path.getParent() != null && Files.isDirectory(path.getParent())) {
                byDirectory.computeIfAbsent(path.getParent(), d -> new ArrayList<>()).add(image);
            }
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<Path, List<ImageInfo>> e : byDirectory.entrySet()) {
            String script = render(e.getValue(), outcome.generation(),
                    Instant.ofEpochMilli(outcome.startedMillis()), coordinatorHost, coordinatorPort);
            written.add(writeAtomically(e.getKey(), script));
        }
        return written;
    }

    /** The script for images that all lie in one directory. */
    static String render(List<ImageInfo> images, long generation, Instant time, String host, int port) {
        Map<String, List<String>> byHost = new LinkedHashMap<>();
        for (ImageInfo image : images) {
            byHost.computeIfAbsent(image.host(), h -> new ArrayList<>())
                    .add(Path.of(image.path()).getFileName().toString());
        }
        StringBuilder s = new StringBuilder();
        s.append("#!/usr/bin/env bash\n");
        s.append("# Written by the Stasis coordinator after checkpoint generation ").append(generation)
                .append(" (").append(time).append(").\n");
        s.append("# Restarts ").append(images.size()).append(images.size() == 1 ? " image" : " images")
                .append(" on ").append(byHost.size()).append(byHost.size() == 1 ? " host" : " hosts")
                .append(". Images are found relative to this script, so this\n");
        s.append("# directory can be moved; edit the coordinator below to restart against another one.\n");
        s.append("set -euo pipefail\n\n");
        s.append("coord_host=").append(ShellQuote.quote(host)).append('\n');
        s.append("coord_port=").append(port).append('\n');
        s.append("stasis=\"${STASIS_BIN:-stasis}\"\n");
        s.append("here=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n\n");
        s.append("# restart_on HOST IMAGE...: restarts the images on HOST, through ssh unless HOST is this machine\n");
        s.append("restart_on() {\n");
        s.append("    local host=$1 image\n");
        s.append("    shift\n");
        s.append("    local cmd=(\"$stasis\" restart --coord-host \"$coord_host\" --coord-port \"$coord_port\")\n");
        s.append("    for image in \"$@\"; do cmd+=(\"$here/$image\"); done\n");
        s.append("    if [[ $host == \"$(hostname)\" || $host == \"$(hostname -s)\" || $host == localhost ]]; then\n");
        s.append("        \"${cmd[@]}\"\n");
        s.append("    else\n");
        s.append("        ssh \"$host\" \"${cmd[*]@Q}\"\n");
        s.append("    fi\n");
        s.append("}\n\n");
        boolean background = byHost.size() > 1;
        for (Map.Entry<String, List<String>> e : byHost.entrySet()) {
            s.append("# host ").append(e.getKey().replace('\n', ' ')).append(": ").append(e.getValue().size())
                    .append(e.getValue().size() == 1 ? " image" : " images").append('\n');
            s.append("restart_on ").append(ShellQuote.quote(e.getKey()));
            for (String image : e.getValue()) {
                s.append(" \\\n    ").append(ShellQuote.quote(image));
            }
            s.append(background ? " &\n" : "\n");
        }
        if (background) {
            s.append("wait\n");
        }
        return s.toString();
    }

    private static Path writeAtomically(Path directory, String script) throws IOException {
        Path target = directory.resolve(FILE_NAME);
        Path temp = Files.createTempFile(directory, "." + FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.writeString(temp, script, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }
}
