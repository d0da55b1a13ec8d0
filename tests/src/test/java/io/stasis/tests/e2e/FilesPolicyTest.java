package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The files plugin's policy for files that changed or vanished between checkpoint and restart
 * (docs/files.md): refused by default, naming the file, with exit code 5 and nothing started; put back from
 * the image with --restore-files when a copy was saved (files.save-open-files). The program is
 * shared-offset: parent and child writing records into one data file, which it reads back at the end.
 */
class FilesPolicyTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DATA = "shared-offset.dat";

    @Test
    void aFileChangedSinceTheCheckpointIsRefusedAndNothingStarts() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Lifecycle life = new Lifecycle(sandbox, Programs.named("shared-offset"), PluginSet.all());
            Lifecycle.Checkpointed checkpointed = life.checkpointAndKill();
            Path data = sandbox.work().resolve(DATA);
            Files.write(data, new byte[100]); // shorter than the process left it: its records are gone

            CommandResult refused = life.coordinator().stasis(WAIT, restartArgs(checkpointed));

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
            assertThat(refused.stderr()).hasSize(1);
            assertThat(refused.errorOutput()).startsWith("stasis: cannot restart: " + data
                    + " changed since the checkpoint (size ").contains(" → 100)")
                    .endsWith("; it has no saved copy (save it with files.save-open-files)");
            assertNothingStarted(checkpointed.launched(), data, 100);
        }
    }

    @Test
    void aVanishedFileIsRefused() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Lifecycle life = new Lifecycle(sandbox, Programs.named("shared-offset"), PluginSet.only("files",
                    "pid-virt"));
            Lifecycle.Checkpointed checkpointed = life.checkpointAndKill();
            Path data = sandbox.work().resolve(DATA);
            Files.delete(data);

            CommandResult refused = life.coordinator().stasis(WAIT, restartArgs(checkpointed));

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
            assertThat(refused.errorOutput()).isEqualTo("stasis: cannot restart: " + data + " was deleted since the "
                    + "checkpoint; it has no saved copy (save it with files.save-open-files)");
            assertThat(data).doesNotExist();

            /* inspect shows what the check went by */
            CommandResult inspect = life.coordinator().stasis(WAIT, "inspect", checkpointed.image().toString());
            assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
            assertThat(inspect.stdout()).anySatisfy(line -> assertThat(line.strip()).matches("fd \\d+: file "
                    + java.util.regex.Pattern.quote(data.toString()) + ", \\d+ bytes, modified \\S+, offset \\d+, "
                    + "O_RDWR, dev 0x\\p{XDigit}+ ino \\d+, not saved"));
        }
    }

    @Test
    void withASavedCopyRestoreFilesPutsTheFileBackAndTheProgramContinues() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            ProgramDescription program = Programs.named("shared-offset");
            /* a directory entry of files.save-open-files covers the files under it */
            Lifecycle life = new Lifecycle(sandbox, program, PluginSet.all().withFlags("--set",
                    "files.save-open-files=" + sandbox.work()));
            Lifecycle.Checkpointed checkpointed = life.checkpointAndKill();
            Path data = sandbox.work().resolve(DATA);
            long size = Files.size(data);
            Files.write(data, "x".repeat((int) size).getBytes()); // other contents

            CommandResult refused = life.coordinator().stasis(WAIT, restartArgs(checkpointed));
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
            /* its contents, or its size too when the program wrote on between checkpoint and kill */
            assertThat(refused.errorOutput()).startsWith("stasis: cannot restart: " + data + " changed since the "
                    + "checkpoint (").endsWith("); --restore-files puts back the saved copy").hasLineCount(1);

            Files.delete(data); // vanished altogether: the copy brings it back just the same
            StasisProcess restarted = life.coordinator().command(append(restartArgs(checkpointed), "--restore-files"))
                    .start();
            StasisProcess launched = checkpointed.launched();
            launched.waitForOutput(program.finished().pattern(), WAIT);
            assertThat(restarted.waitFor(WAIT)).as(restarted.describe()).isZero();
            assertThat(restarted.errorOutput()).contains("stasis: put back " + data + " as it was at the checkpoint");
            OutputCheck.verify(program, launched.lines(), "restored with --restore-files\n" + restarted.describe());
        }
    }

    @Test
    void theConfigurationCanAskForRestoringToo() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            ProgramDescription program = Programs.named("shared-offset");
            /* a glob: * within one name */
            Lifecycle life = new Lifecycle(sandbox, program, PluginSet.all().withFlags("--set",
                    "files.save-open-files=/nowhere:" + sandbox.work() + "/shared-*.dat"));
            Lifecycle.Checkpointed checkpointed = life.checkpointAndKill();
            Files.writeString(sandbox.work().resolve(DATA), "tampered\n");

            /* files.restore-files in the environment does what --restore-files does */
            StasisProcess restarted = life.coordinator().withEnvironment("STASIS_FILES_RESTORE_FILES", "true")
                    .command(restartArgs(checkpointed)).start();
            checkpointed.launched().waitForOutput(program.finished().pattern(), WAIT);
            assertThat(restarted.waitFor(WAIT)).as(restarted.describe()).isZero();
            OutputCheck.verify(program, checkpointed.launched().lines(), "restored by configuration");
        }
    }

    @Test
    void aFileOverTheSizeLimitIsNotSavedAndSoCannotBePutBack() throws Exception {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Lifecycle life = new Lifecycle(sandbox, Programs.named("shared-offset"), PluginSet.all().withFlags(
                    "--set", "files.save-open-files=all", "--set", "files.save-max-size=100"));
            Lifecycle.Checkpointed checkpointed = life.checkpointAndKill(); // the file has 480 bytes or more by then
            Path data = sandbox.work().resolve(DATA);
            CommandResult inspect = life.coordinator().stasis(WAIT, "inspect", checkpointed.image().toString());
            assertThat(inspect.output()).contains("file " + data + ", ").contains(", too big to save");
            Files.write(data, new byte[10]);

            CommandResult refused = life.coordinator().stasis(WAIT, append(restartArgs(checkpointed),
                    "--restore-files"));

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
            assertThat(refused.errorOutput()).startsWith("stasis: cannot restart: " + data + " changed since the "
                    + "checkpoint (size ").endsWith(" → 10); it has no saved copy (save it with files.save-open-files)");
        }
    }

    private static void assertNothingStarted(StasisProcess launched, Path data, long size) throws Exception {
        int lines = launched.lines().size();
        Thread.sleep(1000);
        assertThat(launched.lines()).as("output after a refused restart").hasSize(lines);
        assertThat(Files.size(data)).isEqualTo(size);
    }

    private static String[] restartArgs(Lifecycle.Checkpointed checkpointed) {
        return append(new String[] {"restart"}, checkpointed.images().stream().map(Path::toString)
                .toArray(String[]::new));
    }

    private static String[] append(String[] args, String... more) {
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
