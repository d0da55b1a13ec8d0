package io.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.coordinator.protocol.AuthOk;
import io.stasis.coordinator.protocol.Bytes;
import io.stasis.coordinator.protocol.Challenge;
import io.stasis.coordinator.protocol.FrameCodec;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.state.StateDirectory;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit codes of docs/environment.md, for the decisions that need no native runtime. */
class ExitCodeTest {

    @TempDir
    Path tmp;

    private TestCli cli;

    @BeforeEach
    void setUp() {
        cli = new TestCli(tmp);
    }

    @Test
    void helpListsExactlyTheDocumentedExitCodes() throws Exception {
        String doc = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("docs/environment.md"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| (.+) \\|$").matcher(doc);
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        assertThat(documented).containsKeys("0", "3", "137");

        assertThat(cli.run("--help")).isZero();
        Map<String, String> help = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^  (\\d+) +(.+)$").matcher(cli.out());
        while (line.find()) {
            help.put(line.group(1), line.group(2));
        }
        assertThat(help.keySet()).containsExactlyElementsOf(documented.keySet());
        documented.forEach((code, meaning) -> assertThat(meaning).startsWith(help.get(code)));
        assertThat(ExitCodes.KILLED).isEqualTo(137);
        assertThat(ExitCodes.NOT_FOUND).isEqualTo(127);
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(cli.run()).isEqualTo(2);
        assertThat(cli.err()).contains("Usage: stasis");
    }

    @Test
    void badCommandLinesAreOneLineUsageErrors() {
        assertThat(cli.run("frobnicate")).isEqualTo(2);
        assertThat(cli.err()).startsWith("stasis: Unmatched argument").hasLineCount(1);
        assertThat(cli.run("command", "--status", "--kill")).isEqualTo(2);
        assertThat(cli.run("command")).isEqualTo(2);
        assertThat(cli.run("launch")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("stasis: Missing required parameter: 'PROGRAM' (see 'stasis launch --help')\n");
    }

    @Test
    void noCoordinatorIsExitThree() {
        assertThat(cli.run("command", "--status", "--coord-port", "7001")).isEqualTo(3);
        assertThat(cli.err()).startsWith("stasis: no coordinator running on port 7001").hasLineCount(1);
        assertThat(cli.run("checkpoint", "--coord-port", "7001")).isEqualTo(3);
        assertThat(cli.run("status", "--coord-port", "7001")).isEqualTo(3);
    }

    @Test
    void staleStateDirectoryIsExitThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StateDirectory.create(cli.env, port, Secret.random(new SecureRandom()), 1);
        assertThat(cli.run("command", "-s", "--coord-port", String.valueOf(port))).isEqualTo(3);
        assertThat(cli.err()).startsWith("stasis: no coordinator at 127.0.0.1:" + port).hasLineCount(1);
    }

    /**
     * A coordinator that quits with its last process may do so between a blocking checkpoint's request and
     * its answer: the checkpoint was not taken (6), the coordinator was reached (not 3).
     */
    @Test
    void aCoordinatorLostAfterTheRequestIsAFailedCheckpoint() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread quitting = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(FrameCodec.encode(new Challenge(1, Bytes.of(new byte[32]))));
                    readFrame(s); // AUTH, not checked
                    s.getOutputStream().write(FrameCodec.encode(new AuthOk(1)));
                    readFrame(s); // COMMAND: then it quits without answering
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            quitting.start();
            cli.env.put("STASIS_SECRET", "00".repeat(32));
            int code = cli.run("command", "--bc", "--coord-port", String.valueOf(server.getLocalPort()));
            quitting.join();
            assertThat(code).as(cli.err()).isEqualTo(6);
            assertThat(cli.err()).startsWith("stasis: checkpoint not taken: ").hasLineCount(1);
        }
    }

    private static void readFrame(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] length = in.readNBytes(4);
        in.readNBytes(ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    @Test
    void systemErrorsAreWordsNotJavaClassNames() throws Exception {
        cli.installation = java.util.Optional.of(TestCli.fakeInstallation(tmp.resolve("home"), true));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThat(cli.run("launch", "--ckpt-dir", file.toString(), "true")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("stasis: the checkpoint directory " + file + " is not a directory\n");
        assertThat(cli.run("coordinator", "--bind", "999.1.1.1", "--port", "0")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("stasis: cannot listen on 999.1.1.1:0: no such address\n");
    }

    @Test
    void malformedSecretIsAUsageError() throws Exception {
        cli.env.put("STASIS_SECRET", "nothex");
        assertThat(cli.run("command", "-s")).isEqualTo(2);
        assertThat(cli.err()).startsWith("stasis: STASIS_SECRET:");
    }

    @Test
    void missingProgramIs127() throws Exception {
        cli.installation = java.util.Optional.of(TestCli.fakeInstallation(tmp.resolve("home"), true));
        assertThat(cli.run("launch", "no-such-program-anywhere")).isEqualTo(127);
        assertThat(cli.err()).isEqualTo("stasis: no-such-program-anywhere: command not found\n");
        assertThat(cli.run("launch", "./missing")).isEqualTo(127);
        Path notExecutable = Files.writeString(tmp.resolve("data.txt"), "x");
        assertThat(cli.run("launch", notExecutable.toString())).isEqualTo(127);
        assertThat(cli.err()).contains("not executable");
        assertThat(cli.execs).isEmpty();
    }

    @Test
    void staticProgramIsRefused() throws Exception {
        cli.installation = java.util.Optional.of(TestCli.fakeInstallation(tmp.resolve("home"), true));
        Path elf = staticElf(tmp.resolve("static-prog"));
        assertThat(cli.run("launch", elf.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("is statically linked").hasLineCount(1);
    }

    @Test
    void launchWithoutInstallationIsExitOne() {
        assertThat(cli.run("launch", "sh")).isEqualTo(1);
        assertThat(cli.err()).contains("stasis.home is not set");
    }

    @Test
    void restartChecksItsImages() throws Exception {
        cli.installation = java.util.Optional.of(TestCli.fakeInstallation(tmp.resolve("home"), true));
        assertThat(cli.run("restart")).isEqualTo(2);
        assertThat(cli.run("restart", "nothing.stasis")).isEqualTo(4);
        assertThat(cli.err()).isEqualTo("stasis: no such image: " + tmp.resolve("nothing.stasis") + "\n");
        Path garbage = Files.writeString(tmp.resolve("garbage.stasis"), "this is no image, just text");
        assertThat(cli.run("restart", garbage.toString())).isEqualTo(4);
        assertThat(cli.err()).contains("not a Stasis image").hasLineCount(1);
        Path wrongVersion = tmp.resolve("v2.stasis");
        Files.write(wrongVersion, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {(byte) 0x89, 'S', 'T', 'A', 'S', 'I', 'S', '\n'}).putInt(2).array());
        assertThat(cli.run("restart", wrongVersion.toString())).isEqualTo(4);
        assertThat(cli.err()).contains("image format version 2, this Stasis reads 1");
        // every image of a tree is checked before anything runs
        assertThat(cli.run("restart", garbage.toString(), "nothing.stasis")).isEqualTo(4);
        assertThat(cli.err()).contains("not a Stasis image").hasLineCount(1);
        assertThat(cli.execs).isEmpty();
    }

    @Test
    void inspectRefusesWhatIsNoImage() throws Exception {
        assertThat(cli.run("inspect", "nothing.stasis")).isEqualTo(4);
        Path garbage = Files.writeString(tmp.resolve("garbage.stasis"), "text");
        assertThat(cli.run("inspect", "--json", garbage.toString())).isEqualTo(4);
        assertThat(cli.err()).contains("not a Stasis image").hasLineCount(1);
    }

    @Test
    void badConfigFileIsAUsageError() throws Exception {
        assertThat(cli.run("status", "--config", tmp.resolve("missing.properties").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("does not exist");
        Files.writeString(tmp.resolve("bad.properties"), "coord.port=seventy\n");
        assertThat(cli.run("status", "--config", "bad.properties")).isEqualTo(2);
        assertThat(cli.err()).contains("is not a whole number");
    }

    /** A minimal x86-64 ELF executable header with one PT_LOAD and no PT_INTERP. */
    static Path staticElf(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(64 + 56).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        b.putShort((short) 2).putShort((short) 62).putInt(1).putLong(0x400000).putLong(64).putLong(0)
                .putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(5); // PT_LOAD, R+X
        Files.write(file, b.array());
        file.toFile().setExecutable(true);
        return file;
    }
}
