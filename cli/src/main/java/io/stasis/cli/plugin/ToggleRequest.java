package io.stasis.cli.plugin;

import java.util.List;
import java.util.Optional;

/**
 * What the command line asks of the plugins.
 *
 * @param enable  {@code --enable ID,…}
 * @param disable {@code --disable ID,…}
 * @param only    {@code --only ID,…}: these plugins and what they require, every other one off (an empty
 *                list: the core alone)
 */
public record ToggleRequest(List<String> enable, List<String> disable, Optional<List<String>> only) {

    public ToggleRequest {
        enable = List.copyOf(enable);
        disable = List.copyOf(disable);
        only = only.map(List::copyOf);
    }

    public static ToggleRequest none() {
        return new ToggleRequest(List.of(), List.of(), Optional.empty());
    }
}
