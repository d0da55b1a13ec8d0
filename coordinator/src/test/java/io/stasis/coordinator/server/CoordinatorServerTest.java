package io.stasis.coordinator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.client.CoordinatorRefusedException;
import io.stasis.coordinator.client.CoordinatorUnreachableException;
import io.stasis.coordinator.protocol.Abort;
import io.stasis.coordinator.protocol.Barrier;
import io.stasis.coordinator.protocol.Checkpoint;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.protocol.Release;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.report.StatusReport;
import io.stasis.coordinator.script.RestartScriptWriter;
import io.stasis.coordinator.state.StateDirectory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets: fake processes and command clients against a coordinator on an ephemeral port. */
@Timeout(20)
class CoordinatorServerTest {

    @TempDir
    Path tmp;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Map<String, String> env;

    @BeforeEach
    void environment() {
        env = Map.of("STASIS_TMPDIR", tmp.toString());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        threads.shutdownNow();
    }

    private CoordinatorServer start(CoordinatorOptions.Builder options) throws Exception {
        CoordinatorServer server = CoordinatorServer.start(options.port(0).build(), env);
        toClose.add(server);
        return server;
    }

    private FakeProcess process(CoordinatorServer server, long pid) throws Exception {
        FakeProcess p = FakeProcess.register(server.port(), server.secret(), pid);
        toClose.add(p);
        return p;
    }

    private CommandClient client(CoordinatorServer server) throws Exception {
        CommandClient c = CommandClient.connect("127.0.0.1", server.port(), server.stateDirectory().readSecret());
        toClose.add(c);
        return c;
    }

    @Test
    void writesAPrivateStateDirectoryAndThePortFile() throws Exception {
        Path portFile = tmp.resolve("port");
        CoordinatorServer server = start(CoordinatorOptions.builder().portFile(portFile));
        StateDirectory state = StateDirectory.forPort(env, server.port());
        assertThat(state.path()).isEqualTo(server.stateDirectory().path());
        assertThat(state.readSecret()).isEqualTo(server.secret());
        assertThat(state.readPort()).isEqualTo(server.port());
        assertThat(state.readPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(Files.readString(state.path().resolve("secret"))).matches("[0-9a-f]{64}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.path().resolve("secret"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.path())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.path().getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(portFile).strip()).isEqualTo(String.valueOf(server.port()));

        client(server).quit();
        assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
        assertThat(server.stopReason()).isEqualTo("quit command");
        assertThat(state.path()).doesNotExist();
    }

    @Test
    void blockingCheckpointOfTwoProcesses() throws Exception {
        CoordinatorServer server = start(CoordinatorOptions.builder());
        FakeProcess a = process(server, 101);
        FakeProcess b = process(server, 102);
        Future<Path> imageA = threads.submit(() -> a.checkpoint(tmp));
        Future<Path> imageB = threads.submit(() -> b.checkpoint(tmp));
        List<Progress> progress = new CopyOnWriteArrayList<>();

        CommandResult result = client(server).blockingCheckpoint(progress::add);

        assertThat(result.ok()).as(result.text()).isTrue();
        assertThat(result.text()).startsWith("checkpoint 1: 2 processes, 2.0 KiB in ");
        assertThat(progress).last().isEqualTo(new Progress(1, 2000, 2000));
        assertThat(imageA.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(imageB.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(tmp.resolve(RestartScriptWriter.FILE_NAME)).isExecutable();

        StatusReport status = client(server).status();
        assertThat(status.processes()).isEqualTo(2);
        assertThat(status.generation()).isEqualTo(1);
        assertThat(status.lastCheckpoint()).hasValueSatisfying(c -> assertThat(c.images()).hasSize(2));
        assertThat(client(server).list()).extracting(v -> v.pid()).containsExactly(101L, 102L);
    }

    @Test
    void processDyingMidCheckpointAbortsTheOther() throws Exception {
        CoordinatorServer server = start(CoordinatorOptions.builder());
        FakeProcess a = process(server, 101);
        FakeProcess b = process(server, 102);
        CommandClient client = client(server);
        Future<CommandResult> result = threads.submit(() -> client.blockingCheckpoint(p -> { }));

        long gen = a.expect(Checkpoint.class).generation();
        b.expect(Checkpoint.class);
        a.send(new Barrier("SUSPENDED", gen));
        b.send(new Barrier("SUSPENDED", gen));
        assertThat(a.expect(Release.class).name()).isEqualTo("SUSPENDED");
        b.expect(Release.class);
        a.send(new Barrier("DRAINED", gen));
        b.close();

        assertThat(a.expect(Abort.class)).isEqualTo(new Abort(gen, "pid 102 (p102) disconnected during checkpoint 1"));
        CommandResult r = result.get(5, TimeUnit.SECONDS);
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).isEqualTo("checkpoint 1 failed: pid 102 (p102) disconnected during checkpoint 1");
        // the survivor can be checkpointed again
        Future<Path> again = threads.submit(() -> a.checkpoint(tmp));
        assertThat(client(server).blockingCheckpoint(p -> { }).ok()).isTrue();
        assertThat(again.get(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void wrongSecretIsRefusedAndOthersAreServed() throws Exception {
        CoordinatorServer server = start(CoordinatorOptions.builder());
        Secret wrong = Secret.random(new SecureRandom());
        assertThatThrownBy(() -> CommandClient.connect("127.0.0.1", server.port(), wrong))
                .isInstanceOf(CoordinatorRefusedException.class)
                .hasMessageContaining("refused us: bad secret");
        assertThat(client(server).status().processes()).isZero();
    }

    @Test
    void garbageConnectionsAreClosedWhileAGoodClientCheckpoints() throws Exception {
        CoordinatorServer server = start(CoordinatorOptions.builder());
        FakeProcess a = process(server, 101);
        Random random = new Random(42);
        List<Socket> garbage = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            s.setSoTimeout(5000);
            toClose.add(s);
            garbage.add(s);
            byte[] junk = new byte[64 + random.nextInt(512)];
            random.nextBytes(junk);
            if (i % 2 == 0) {
                // a plausible small length: the frame is decoded and refused, not awaited
                junk[0] = 8;
                junk[1] = 0;
                junk[2] = 0;
                junk[3] = 0;
            } else {
                // a length field above 1 MiB
                junk[3] = (byte) (1 + random.nextInt(127));
            }
            OutputStream out = s.getOutputStream();
            out.write(junk);
            out.flush();
        }
        Future<Path> image = threads.submit(() -> a.checkpoint(tmp));
        CommandResult result = client(server).blockingCheckpoint(p -> { });
        assertThat(result.ok()).as(result.text()).isTrue();
        assertThat(image.get(5, TimeUnit.SECONDS)).isNotNull();
        for (Socket s : garbage) {
            assertThat(readsToEnd(s.getInputStream())).as("closed by the coordinator").isTrue();
        }
    }

    @Test
    void twoCoordinatorsOnTwoPortsAreIndependent() throws Exception {
        CoordinatorServer one = start(CoordinatorOptions.builder());
        CoordinatorServer two = start(CoordinatorOptions.builder());
        assertThat(one.port()).isNotEqualTo(two.port());
        assertThat(one.secret()).isNotEqualTo(two.secret());
        assertThat(one.stateDirectory().path()).isNotEqualTo(two.stateDirectory().path());
        process(one, 1);
        process(two, 2);
        process(two, 3);
        assertThat(client(one).status().processes()).isEqualTo(1);
        assertThat(client(two).status().processes()).isEqualTo(2);
        assertThatThrownBy(() -> CommandClient.connect("127.0.0.1", two.port(), one.secret()))
                .isInstanceOf(CoordinatorRefusedException.class);
        client(one).quit();
        assertThat(one.awaitTermination(Duration.ofSeconds(5))).isTrue();
        assertThat(client(two).status().processes()).isEqualTo(2);
    }

    @Test
    void exitOnLastStopsWhenTheLastProcessLeaves() throws Exception {
        CoordinatorServer server = start(CoordinatorOptions.builder().exitOnLast(true));
        FakeProcess a = process(server, 101);
        Path state = server.stateDirectory().path();
        a.close();
        assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
        assertThat(server.stopReason()).isEqualTo("last process left");
        assertThat(state).doesNotExist();
    }

    @Test
    void nobodyListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> CommandClient.connect("127.0.0.1", port, Secret.random(new SecureRandom())))
                .isInstanceOf(CoordinatorUnreachableException.class)
                .hasMessageContaining("no coordinator at 127.0.0.1:" + port);
    }

    @Test
    void portInUseIsAClearError() throws Exception {
        CoordinatorServer one = start(CoordinatorOptions.builder());
        assertThatThrownBy(() -> CoordinatorServer.start(CoordinatorOptions.builder().port(one.port()).build(), env))
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + one.port());
        assertThat(client(one).status().processes()).isZero();
    }

    private static boolean readsToEnd(InputStream in) {
        try {
            byte[] buffer = new byte[1024];
            while (in.read(buffer) >= 0) {
                // skip CHALLENGE and ERROR
            }
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset by the coordinator
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
