package io.stasis.coordinator.report;

import java.util.List;
import java.util.Map;

/** Typed access to a parsed JSON object; a missing or mistyped field is an IllegalArgumentException. */
final class JsonFields {

    private final Map<?, ?> map;

    private JsonFields(Map<?, ?> map) {
        this.map = map;
    }

    static JsonFields of(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return new JsonFields(m);
    }

    String string(String key) {
        if (map.get(key) instanceof String s) {
            return s;
        }
        throw missing(key);
    }

    long number(String key) {
        if (map.get(key) instanceof Number n) {
            return n.longValue();
        }
        throw missing(key);
    }

    boolean bool(String key) {
        if (map.get(key) instanceof Boolean b) {
            return b;
        }
        throw missing(key);
    }

    boolean isNull(String key) {
        return map.get(key) == null;
    }

    JsonFields object(String key) {
        return of(map.get(key));
    }

    List<?> list(String key) {
        if (map.get(key) instanceof List<?> l) {
            return l;
        }
        throw missing(key);
    }

    private static IllegalArgumentException missing(String key) {
        return new IllegalArgumentException("JSON field '" + key + "' missing or of the wrong type");
    }
}
