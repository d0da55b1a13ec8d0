package io.stasis.examples.counter;

import io.stasis.api.config.ConfigKey;
import io.stasis.api.plugin.ResourcePlugin;
import io.stasis.api.plugin.SectionDecoder;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * The control plane of the counter plugin: what {@code stasis plugins} shows, the fragment
 * {@code stasis launch} preloads, the setting it hands over ({@code counter.greeting} →
 * {@code STASIS_COUNTER_GREETING}), and how {@code stasis inspect} reads its section.
 */
@Extension
public class CounterResource implements ResourcePlugin {

    static final ConfigKey GREETING = new ConfigKey("counter.greeting", "counter",
            "first word of every line the fragment writes on stderr");

    @Override
    public String id() {
        return "counter";
    }

    @Override
    public String description() {
        return "an example: counts checkpoints and restarts in its image section and says so on stderr";
    }

    @Override
    public Optional<String> fragment() {
        return Optional.of("libstasis_counter.so");
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(GREETING);
    }

    @Override
    public Optional<SectionDecoder> sectionDecoder() {
        return Optional.of(new CounterSection());
    }
}
