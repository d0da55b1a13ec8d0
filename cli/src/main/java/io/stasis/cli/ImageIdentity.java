package io.stasis.cli;

import io.stasis.image.ProcessInfo;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which program an image holds, said when its file name claims another: an image restarts what it holds,
 * whatever it is called, so {@code ckpt_sleeper_….stasis} holding a counter restarts the counter with one line
 * on stderr naming it. A name in another form ({@code backup.stasis}) claims no program and says nothing.
 */
final class ImageIdentity {

    /** {@code ckpt_<program>_<unique id>.stasis}, as libstasis names images; unique ids have no underscore. */
    private static final Pattern WRITTEN_NAME = Pattern.compile("ckpt_(.+)_[^_]+\\.stasis");

    private ImageIdentity() {
    }

    /** The line to print for the file {@code image} holding {@code p}, or empty. */
    static Optional<String> notice(Path image, ProcessInfo p) {
        String name = image.getFileName().toString();
        Matcher claimed = WRITTEN_NAME.matcher(name);
        if (!claimed.matches() || claimed.group(1).equals(p.program())) {
            return Optional.empty();
        }
        return Optional.of("restarting " + p.program() + " (pid " + p.pid() + ", from " + name + ", written as ckpt_"
                + p.program() + "_" + p.uniqueId() + ".stasis)");
    }
}
