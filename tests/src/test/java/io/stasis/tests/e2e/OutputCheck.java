package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a program's output must look like once it ran through checkpoint, kill and restart. */
final class OutputCheck {

    private OutputCheck() {
    }

    static void verify(ProgramDescription d, List<String> lines, String context) {
        String all = context + "\n--- output:\n" + String.join("\n", lines);
        assertThat(lines.stream().anyMatch(l -> d.finished().matcher(l).find())).as("finished\n" + all).isTrue();
        d.forbid().ifPresent(forbid -> assertThat(lines).as("forbidden lines\n" + all)
                .noneMatch(l -> forbid.matcher(l).find()));
        d.expect().ifPresent(expect -> assertThat(lines).as("expected line /" + expect + "/\n" + all)
                .anyMatch(l -> expect.matcher(l).find()));
        d.sequence().ifPresent(sequence -> {
            List<Long> numbers = captured(sequence, lines).stream().map(Long::parseLong).toList();
            assertThat(numbers).as("no gap and no repeat\n" + all).isNotEmpty();
            for (int i = 0; i < numbers.size(); i++) {
                assertThat(numbers.get(i)).as("line %d of the sequence\n%s", i, all).isEqualTo(i);
            }
        });
        d.same().ifPresent(same -> assertThat(captured(same, lines).stream().distinct().toList())
                .as("one value throughout\n" + all).hasSize(1));
        d.stable().ifPresent(stable -> {
            Map<String, Set<String>> values = new TreeMap<>();
            for (String line : lines) {
                Matcher m = stable.matcher(line);
                if (m.find()) {
                    values.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
                }
            }
            assertThat(values).as("lines to compare\n" + all).isNotEmpty();
            values.forEach((key, seen) -> assertThat(seen).as("%s keeps one value\n%s", key, all).hasSize(1));
        });
    }

    /** The largest number of the sequence so far, if the description has one. */
    static Optional<Long> lastNumber(ProgramDescription d, List<String> lines) {
        return d.sequence().flatMap(sequence -> captured(sequence, lines).stream().map(Long::parseLong)
                .reduce((a, b) -> b));
    }

    private static List<String> captured(Pattern pattern, List<String> lines) {
        List<String> values = new ArrayList<>();
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                values.add(m.group(1));
            }
        }
        return values;
    }
}
