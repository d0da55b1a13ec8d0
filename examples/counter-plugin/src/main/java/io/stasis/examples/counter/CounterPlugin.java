package io.stasis.examples.counter;

import org.pf4j.Plugin;

/**
 * PF4J's side of the plugin ({@code plugin.class}): nothing to start or stop, Stasis only asks for the
 * {@link CounterResource} extension.
 */
public class CounterPlugin extends Plugin {
}
