package io.stasis.tests.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A test program's {@code <name>.desc}, in {@code tests/programs/} (the core's) or in a plugin's
 * {@code plugins/<id>/tests/programs/}: how to run it and what its output must look like after a
 * checkpoint and a restart (zdtm's {@code .desc}).
 *
 * <pre>
 * command  = ${programs}/counter 60 100     the program; ${programs} (where its set's programs are built),
 *                                          ${tests} (the folder of the .desc), ${core} (the core's programs),
 *                                          ${work} expand
 * ready    = ^10$                          checkpoint once a line matches
 * sequence = ^(\d+)$                       group 1 of matching lines counts 0, 1, 2, … with no gap or repeat
 * same     = ^(state .*)$                  group 1 is identical on every matching line
 * stable   = ^ids (\S+) (.*)$              per group-1 key, group 2 is identical on every line
 * processes = 6                           the program is that many processes at checkpoint
 * expect   = ^joined: …$                   some line must match at the end
 * forbid   = CORRUPT|failed                no line may match
 * finished = ^done$                        the run is over once a line matches
 * requires = pid-virt                      plugins it needs besides the core
 * timeout  = 60                            seconds for the whole life cycle (default 60)
 * </pre>
 */
record ProgramDescription(
        String name,
        ProgramSet set,
        String commandTemplate,
        Pattern ready,
        Optional<Pattern> sequence,
        Optional<Pattern> same,
        Optional<Pattern> stable,
        Optional<Pattern> expect,
        Optional<Pattern> forbid,
        Pattern finished,
        List<String> requires,
        Duration timeout,
        int processes) {

    static ProgramDescription load(ProgramSet set, Path file) {
        Map<String, String> p = read(file);
        String name = file.getFileName().toString().replaceFirst("\\.desc$", "");
        return new ProgramDescription(
                name,
                set,
                required(p, "command", file),
                Pattern.compile(required(p, "ready", file)),
                optional(p, "sequence"),
                optional(p, "same"),
                optional(p, "stable"),
                optional(p, "expect"),
                optional(p, "forbid"),
                Pattern.compile(required(p, "finished", file)),
                Arrays.stream(p.getOrDefault("requires", "").split(",")).map(String::strip)
                        .filter(s -> !s.isEmpty()).toList(),
                Duration.ofSeconds(Long.parseLong(p.getOrDefault("timeout", "60").strip())),
                Integer.parseInt(p.getOrDefault("processes", "0").strip()));
    }

    /**
     * {@code key = value} lines, {@code #} comments. Not java.util.Properties: its escapes
     * would turn the regular expressions' backslashes into something else.
     */
    private static Map<String, String> read(Path file) {
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException(file + ": not `key = value`: " + line);
                }
                values.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /** The set's programs that have a description, by name. */
    static List<ProgramDescription> all(ProgramSet set) {
        try (Stream<Path> files = Files.list(set.descriptions())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".desc")).sorted()
                    .map(f -> load(set, f)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same program and checks, run with other arguments. */
    ProgramDescription withCommand(String template) {
        return new ProgramDescription(name, set, template, ready, sequence, same, stable, expect, forbid, finished,
                requires, timeout, processes);
    }

    /** The same checks but `same`: for a run where that value is meant to change. */
    ProgramDescription withoutSame() {
        return new ProgramDescription(name, set, commandTemplate, ready, sequence, Optional.empty(), stable, expect, forbid,
                finished, requires, timeout, processes);
    }

    /** The command with its placeholders filled in, split on spaces. */
    List<String> command(Path core, Path work) {
        String expanded = commandTemplate.replace("${programs}", set.binaries().toString())
                .replace("${tests}", set.descriptions().toString()).replace("${core}", core.toString())
                .replace("${work}", work.toString());
        return List.of(expanded.strip().split("\\s+"));
    }

    private static String required(Map<String, String> p, String key, Path file) {
        String value = p.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(file + ": no " + key);
        }
        return value.strip();
    }

    private static Optional<Pattern> optional(Map<String, String> p, String key) {
        return Optional.ofNullable(p.get(key)).map(String::strip).filter(s -> !s.isEmpty())
                .map(Pattern::compile);
    }
}
