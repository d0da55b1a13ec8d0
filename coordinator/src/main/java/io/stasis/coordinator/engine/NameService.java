package io.stasis.coordinator.engine;

import io.stasis.coordinator.protocol.Bytes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keys published by processes (e.g. the sockets plugin's "who listens where"), visible only within one
 * computation. Cleared at each new checkpoint generation: names describe the generation being taken.
 */
final class NameService {

    private final Map<String, Map<String, Bytes>> byComputation = new HashMap<>();

    void publish(String computationId, String key, Bytes value) {
        byComputation.computeIfAbsent(computationId, c -> new HashMap<>()).put(key, value);
    }

    Optional<Bytes> lookup(String computationId, String key) {
        return Optional.ofNullable(byComputation.getOrDefault(computationId, Map.of()).get(key));
    }

    void clear() {
        byComputation.clear();
    }
}
