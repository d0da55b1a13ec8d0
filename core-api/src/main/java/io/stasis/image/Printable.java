package io.stasis.image;

/**
 * Names in an image (paths, thread names) come from the checkpointed program: control
 * characters are escaped so they cannot break a listing or fake lines in it.
 */
final class Printable {

    private Printable() {
    }

    static String of(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (control && out == null) {
                out = new StringBuilder(text.substring(0, i));
            }
            if (out != null) {
                out.append(control ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return out == null ? text : out.toString();
    }
}
