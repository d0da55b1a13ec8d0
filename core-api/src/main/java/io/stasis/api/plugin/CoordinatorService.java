package io.stasis.api.plugin;

import java.util.Objects;

/**
 * Something a plugin's fragment uses in the coordinator. The coordinator's barrier engine and name
 * service serve every plugin alike; a plugin declares the names it uses so {@code stasis plugins} lists
 * them and two plugins cannot claim the same ones. Names start with {@code <plugin id>:}, as in
 * docs/protocol.md ({@code "sockets:listen:"}).
 *
 * @param kind        a barrier it waits at, or a prefix of the name-service keys it publishes
 * @param name        the barrier's name, or the key prefix
 * @param description one line, for {@code stasis plugins}
 */
public record CoordinatorService(Kind kind, String name, String description) {

    public enum Kind {
        /** {@code stasis_barrier(name)}: every process of the computation waits there. */
        BARRIER,
        /** {@code stasis_publish(key, …)} / {@code stasis_lookup(key, …)} with keys starting with the name. */
        NAME_PREFIX
    }

    public CoordinatorService {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }

    public static CoordinatorService barrier(String name, String description) {
        return new CoordinatorService(Kind.BARRIER, name, description);
    }

    public static CoordinatorService namePrefix(String prefix, String description) {
        return new CoordinatorService(Kind.NAME_PREFIX, prefix, description);
    }
}
