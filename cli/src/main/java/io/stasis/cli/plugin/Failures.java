package io.stasis.cli.plugin;

/** One line about an exception from PF4J or plugin code: its innermost cause is what the user can act on. */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String text = message == null || message.isBlank() ? root.getClass().getName()
                : root instanceof ClassNotFoundException || root instanceof NoClassDefFoundError
                        ? "class not found: " + message : message;
        return text.replace('\n', ' ').strip();
    }
}
