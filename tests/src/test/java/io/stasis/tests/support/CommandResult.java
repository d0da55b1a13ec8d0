package io.stasis.tests.support;

import java.util.List;

/** A command that ran to completion: its exit code and output lines. */
public record CommandResult(String name, List<String> command, int exitCode, List<String> stdout,
                            List<String> stderr) {

    public CommandResult {
        command = List.copyOf(command);
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
    }

    public String output() {
        return String.join("\n", stdout);
    }

    public String errorOutput() {
        return String.join("\n", stderr);
    }

    /** This result, or an AssertionError showing the command and everything it printed. */
    public CommandResult requireSuccess() {
        return requireExitCode(0);
    }

    public CommandResult requireExitCode(int expected) {
        if (exitCode != expected) {
            throw new AssertionError(name + " exited with " + exitCode + ", expected " + expected + "\n" + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "$ " + String.join(" ", command) + "\n--- exit code " + exitCode + "\n--- stdout\n" + output()
                + "\n--- stderr\n" + errorOutput();
    }
}
