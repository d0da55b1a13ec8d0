package io.stasis.api.plugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code stasis restart --path-map OLD=NEW} (DMTCP's {@code DMTCP_ORIGINAL_PATH_PREFIX} and
 * {@code DMTCP_NEW_PATH_PREFIX}): the images record paths as they were, and a path under OLD is used under NEW
 * at restart, for instance when a batch system reruns the job in a new directory. A prefix covers whole
 * components only ({@code /a/b} covers {@code /a/b} and {@code /a/b/c}, not {@code /a/bc}); the longest
 * matching OLD wins. The same rules as the native side's ({@code native/common/path_map.c}).
 *
 * @param entries the OLD=NEW pairs, both absolute paths without a trailing slash (but {@code /} itself)
 */
public record PathMap(List<Entry> entries) {

    /** No relocation. */
    public static final PathMap NONE = new PathMap(List.of());

    /** One OLD=NEW pair. */
    public record Entry(String from, String to) {

        public Entry {
            from = trimmed(from);
            to = trimmed(to);
        }

        /** {@code OLD=NEW}, as the command line and the restarter take it. */
        @Override
        public String toString() {
            return from + "=" + to;
        }
    }

    public PathMap {
        entries = List.copyOf(entries);
    }

    /**
     * Parses {@code OLD=NEW} entries (split at the first {@code =}).
     *
     * @throws IllegalArgumentException an entry without {@code =} or with a path that is not absolute
     */
    public static PathMap parse(List<String> specs) {
        List<Entry> entries = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq < 0 || !spec.startsWith("/") || !spec.startsWith("/", eq + 1)) {
                throw new IllegalArgumentException("a path map entry is OLD=NEW, both absolute paths: '" + spec
                        + "'");
            }
            entries.add(new Entry(spec.substring(0, eq), spec.substring(eq + 1)));
        }
        return new PathMap(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The path to use now for {@code saved}: itself when no entry covers it. */
    public String map(String saved) {
        Objects.requireNonNull(saved);
        Optional<Entry> best = entries.stream().filter(e -> covers(e.from(), saved))
                .max(Comparator.comparingInt(e -> e.from().length()));
        if (best.isEmpty()) {
            return saved;
        }
        Entry e = best.get();
        String rest = e.from().equals("/") ? (saved.equals("/") ? "" : saved) : saved.substring(e.from().length());
        if (e.to().equals("/") && rest.startsWith("/")) {
            return rest;
        }
        return e.to() + rest;
    }

    private static boolean covers(String prefix, String path) {
        if (prefix.equals("/")) {
            return path.startsWith("/");
        }
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    private static String trimmed(String path) {
        Objects.requireNonNull(path);
        int n = path.length();
        while (n > 1 && path.charAt(n - 1) == '/') {
            n--;
        }
        return path.substring(0, n);
    }
}
