package io.stasis.cli;

import io.stasis.cli.plugin.PluginSelection;
import io.stasis.coordinator.protocol.Secret;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment {@code stasis launch} and {@code stasis restart} hand over (docs/environment.md): the
 * inherited one, with the variables libstasis reads set, and the enabled plugins' {@code STASIS_<ID>_*}
 * settings for their fragments. STASIS_TMPDIR, STASIS_DEBUG, STASIS_SIGCKPT and
 * STASIS_WRITE_THREADS pass through unchanged when set.
 */
final class LaunchEnvironment {

    private LaunchEnvironment() {
    }

    /** What both launch and restart set. */
    record Coordinates(CoordinatorAddress coordinator, Secret secret, Path checkpointDir, Installation installation) {
    }

    static Map<String, String> forLaunch(Map<String, String> inherited, Coordinates c, String preload,
                                         PluginSelection plugins, String computationId) {
        Map<String, String> env = common(inherited, c);
        env.put("LD_PRELOAD", preload);
        env.put("STASIS_COMPUTATION_ID", computationId);
        env.put("STASIS_PLUGINS", plugins.ids());
        env.putAll(plugins.fragmentEnvironment());
        return env;
    }

    /** A restarted process keeps its own LD_PRELOAD, computation id and plugins: they are in its image. */
    static Map<String, String> forRestart(Map<String, String> inherited, Coordinates c) {
        Map<String, String> env = common(inherited, c);
        env.remove("STASIS_COMPUTATION_ID");
        env.remove("STASIS_PLUGINS");
        return env;
    }

    /** 128 random bits in hex. */
    static String newComputationId(SecureRandom random) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static Map<String, String> common(Map<String, String> inherited, Coordinates c) {
        Map<String, String> env = new TreeMap<>(inherited);
        env.put("STASIS_COORD_HOST", c.coordinator().host());
        env.put("STASIS_COORD_PORT", String.valueOf(c.coordinator().port()));
        env.put("STASIS_SECRET", c.secret().hex());
        env.put("STASIS_CKPT_DIR", c.checkpointDir().toAbsolutePath().normalize().toString());
        env.put("STASIS_HOME", c.installation().home().toString());
        return env;
    }
}
