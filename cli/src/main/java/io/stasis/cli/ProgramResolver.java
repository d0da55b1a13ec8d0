package io.stasis.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the program to launch the way a shell does, and refuses what LD_PRELOAD cannot reach. */
final class ProgramResolver {

    private ProgramResolver() {
    }

    /**
     * @param name as typed: with a slash it is a path (relative to {@code cwd}), otherwise it is looked up
     *             in {@code path} (an empty entry is the current directory)
     * @throws CliException 127 when not found or not executable; 1 for a statically linked program
     */
    static Path resolve(String name, String path, Path cwd) {
        if (name.isEmpty()) {
            throw new CliException(ExitCodes.NOT_FOUND, "empty program name");
        }
        Path program;
        if (name.contains("/")) {
            program = cwd.resolve(name).normalize();
            if (!Files.exists(program)) {
                throw new CliException(ExitCodes.NOT_FOUND, name + ": no such file");
            }
        } else {
            program = search(name, path == null ? "" : path, cwd)
                    .orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, name + ": command not found"));
        }
        if (Files.isDirectory(program)) {
            throw new CliException(ExitCodes.NOT_FOUND, name + ": is a directory");
        }
        if (!Files.isExecutable(program)) {
            throw new CliException(ExitCodes.NOT_FOUND, name + ": not executable");
        }
        if (ElfInfo.hasInterpreter(program).equals(Optional.of(false))) {
            throw new CliException(ExitCodes.ERROR, name + " is statically linked: Stasis loads its runtime with "
                    + "LD_PRELOAD, which only dynamically linked programs honour");
        }
        return program;
    }

    private static Optional<Path> search(String name, String path, Path cwd) {
        Optional<Path> notExecutable = Optional.empty();
        for (String dir : path.split(":", -1)) {
            Path candidate = (dir.isEmpty() ? cwd : cwd.resolve(dir)).resolve(name);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
                notExecutable = notExecutable.or(() -> Optional.of(candidate));
            }
        }
        // like a shell: a match without execute permission is reported as such, not as "not found"
        return notExecutable;
    }
}
