package io.stasis.coordinator.script;

/** Single-quoting for bash, safe for any string. */
final class ShellQuote {

    private ShellQuote() {
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
