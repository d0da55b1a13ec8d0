package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** The output tests/programs/hashchain.c must print, recomputed: any gap, repeat or wrong state shows. */
final class HashChain {

    private HashChain() {
    }

    static long splitmix64(long x) {
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /** Every line of {@code hashchain STEPS} (without ballast). */
    static List<String> expected(int steps) {
        List<String> lines = new ArrayList<>();
        long h = 0x5354415349530000L;
        for (int i = 0; i < steps; i++) {
            lines.add(i + " " + String.format("%016x", h));
            h = splitmix64(h ^ i);
        }
        lines.add("done " + steps);
        return lines;
    }

    /** {@code lines} are exactly the chain's, in order, once each. */
    static void verify(List<String> lines, int steps, String context) {
        assertThat(lines).as(context + ": the whole chain, no gap, no repeat").containsExactlyElementsOf(expected(steps));
    }
}
