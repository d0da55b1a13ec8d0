package io.stasis.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Replaces this process with another program, keeping the pid ({@code execve}). */
public interface ProcessImage {

    /**
     * Does not return when it works.
     *
     * @param program absolute path of the executable
     * @param argv    argument vector, {@code argv[0]} included
     * @param env     the complete environment of the new program
     * @throws CliException exit code 127 when the program cannot be executed, 1 otherwise
     */
    void replace(Path program, List<String> argv, Map<String, String> env);
}
