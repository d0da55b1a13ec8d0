package io.stasis.cli.plugin;

/**
 * Whether one plugin is on, and who said so.
 *
 * @param enabled  on or off
 * @param explicit whether someone asked for exactly this: a plugin switched off explicitly is never switched
 *                 back on because another plugin requires it (that is an error); one that is off by default
 *                 or left out of {@code --only} is
 * @param origin   for messages and {@code stasis plugins}: {@code --disable}, {@code STASIS_DISABLE},
 *                 the config file's path, {@code default}, …
 */
public record Toggle(boolean enabled, boolean explicit, String origin) {
}
