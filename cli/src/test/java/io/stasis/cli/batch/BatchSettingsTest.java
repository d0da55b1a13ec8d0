package io.stasis.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stasis.cli.CliException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchSettingsTest {

    private static final Path JOB = Path.of("/scratch/job");

    @TempDir
    static Path home;

    /** With a home that has no config file. */
    private static BatchSettings resolve(Map<String, String> flags, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("HOME", home.toString());
        return BatchSettings.resolve(flags, all, JOB, Optional.empty(), BatchSettings.Mode.PLAIN);
    }

    @Test
    void defaultsFollowTheIssue() {
        BatchSettings s = resolve(Map.of(), Map.of());
        assertThat(s.checkpointDir()).isEqualTo(JOB.resolve("stasis-ckpt"));
        assertThat(s.signals()).containsExactly("TERM", "USR1", "INT");
        assertThat(s.exitCode()).isEqualTo(85);
        assertThat(s.interval()).isZero();
    }

    @Test
    void optionsWinOverVariablesAndSignalsAreNormalised() {
        BatchSettings s = resolve(BatchSettings.flags(Path.of("ck"), 60L, "sigusr1, TERM,usr1", null),
                Map.of("STASIS_BATCH_SIGNALS", "HUP", "STASIS_BATCH_EXIT_CODE", "42", "STASIS_CKPT_INTERVAL", "5"));
        assertThat(s.checkpointDir()).isEqualTo(JOB.resolve("ck"));
        assertThat(s.interval()).isEqualTo(60);
        assertThat(s.signals()).containsExactly("USR1", "TERM");
        assertThat(s.exitCode()).isEqualTo(42);
    }

    @Test
    void signalsTheJvmOrLibstasisKeepAndOutOfRangeCodesAreUsageErrors() {
        for (String bad : new String[] {"USR2", "KILL", "QUIT", "", "TERM;rm"}) {
            assertThatThrownBy(() -> resolve(BatchSettings.flags(null, null, bad, null), Map.of()))
                    .as(bad).isInstanceOf(CliException.class).hasMessageContaining("batch.signals");
        }
        assertThatThrownBy(() -> resolve(BatchSettings.flags(null, null, null, 256), Map.of()))
                .isInstanceOf(CliException.class).hasMessageContaining("batch.exit-code");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("STASIS_CKPT_INTERVAL", "-1")))
                .isInstanceOf(CliException.class).hasMessageContaining("ckpt.interval");
    }
}
