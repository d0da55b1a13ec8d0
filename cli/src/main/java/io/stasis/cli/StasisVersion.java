package io.stasis.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This Stasis's version, which Maven writes into {@code version.properties} (plugins check it). */
final class StasisVersion {

    private StasisVersion() {
    }

    /** {@code 0.1.0-SNAPSHOT}; {@code 0.0.0} when run from classes Maven did not filter. */
    static String current() {
        Properties p = new Properties();
        try (InputStream in = StasisVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = p.getProperty("version", "0.0.0");
        return version.startsWith("$") ? "0.0.0" : version;
    }
}
