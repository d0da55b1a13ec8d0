package io.stasis.tests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code /proc} says about processes. A zombie (state {@code Z}) is not running: PID 1
 * on the test machines reaps orphans late so a killed process tree leaves zombies for a while.
 */
public final class ProcessTable {

    private static final Path PROC = Path.of("/proc");

    private ProcessTable() {
    }

    /** The state letter ({@code R}, {@code S}, {@code Z}, …), empty when there is no such process. */
    public static Optional<Character> state(long pid) {
        return stat(pid).map(fields -> fields.get(0).charAt(0));
    }

    /** Present and neither a zombie nor dead. */
    public static boolean isRunning(long pid) {
        return state(pid).map(state -> state != 'Z' && state != 'X' && state != 'x').orElse(false);
    }

    public static Optional<Long> parent(long pid) {
        return stat(pid).map(fields -> Long.parseLong(fields.get(1)));
    }

    /** Children, grandchildren, … of {@code roots} as of now (the roots themselves excluded). */
    public static Set<Long> descendants(Collection<Long> roots) {
        Map<Long, List<Long>> children = new HashMap<>();
        for (long pid : pids()) {
            parent(pid).ifPresent(parent -> children.computeIfAbsent(parent, p -> new ArrayList<>()).add(pid));
        }
        Set<Long> found = new LinkedHashSet<>();
        Deque<Long> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            for (long child : children.getOrDefault(todo.pop(), List.of())) {
                if (found.add(child)) {
                    todo.push(child);
                }
            }
        }
        found.removeAll(roots);
        return found;
    }

    /** Processes whose initial environment holds exactly {@code entry} ({@code NAME=value}). */
    public static Set<Long> withEnvironmentEntry(String entry) {
        byte[] wanted = (entry + "\0").getBytes(StandardCharsets.UTF_8);
        Set<Long> found = new LinkedHashSet<>();
        for (long pid : pids()) {
            try {
                byte[] environ = Files.readAllBytes(PROC.resolve(pid + "/environ"));
                if (contains(environ, wanted)) {
                    found.add(pid);
                }
            } catch (IOException | SecurityException gone) {
                // exited, or another user's process
            }
        }
        return found;
    }

    public static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                pids.add(Long.parseLong(entry.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    /** Fields after the command name: state, ppid, pgrp, … (the name may hold spaces and parentheses). */
    private static Optional<List<String>> stat(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.ISO_8859_1);
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            return Optional.of(List.of(afterName.split(" ")));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    private static boolean contains(byte[] environ, byte[] entry) {
        // Entries are NUL-separated: match only at the start of one.
        outer:
        for (int start = 0; start + entry.length <= environ.length; start++) {
            if (start > 0 && environ[start - 1] != 0) {
                continue;
            }
            for (int i = 0; i < entry.length; i++) {
                if (environ[start + i] != entry[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
