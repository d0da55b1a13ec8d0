import io.stasis.coordinator.protocol.Auth;
import io.stasis.coordinator.protocol.AuthMac;
import io.stasis.coordinator.protocol.AuthOk;
import io.stasis.coordinator.protocol.Barrier;
import io.stasis.coordinator.protocol.Challenge;
import io.stasis.coordinator.protocol.Checkpoint;
import io.stasis.coordinator.protocol.CkptResult;
import io.stasis.coordinator.protocol.Command;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.coordinator.protocol.FrameCodec;
import io.stasis.coordinator.protocol.Message;
import io.stasis.coordinator.protocol.Register;
import io.stasis.coordinator.protocol.Release;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.protocol.Verb;
import io.stasis.coordinator.protocol.Welcome;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on a running coordinator over loopback, speaking the real protocol (bench/coordinator.sh runs it):
 * authenticated connections per second, and the round trip of a named barrier with 1 and 64 fake
 * processes (each a thread with its own connection, registered like a checkpoint thread).
 *
 * <p>Usage: {@code java -cp 'dist/target/stasis/lib/*' bench/CoordinatorBench.java HOST PORT SECRET_FILE DIR}
 */
public final class CoordinatorBench {

    private static final int PROCESS = 1;
    private static final int COMMAND = 2;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        Secret secret = Secret.fromHex(Files.readString(Path.of(args[2])));
        Path dir = Path.of(args[3]);
        CoordinatorBench bench = new CoordinatorBench(host, port, secret, dir);

        bench.connections(2, 3.0); // warm-up: JIT on both sides
        for (int clients : new int[] {1, 4}) {
            System.out.printf(Locale.ROOT, "connections/s (%d client%s) %.0f%n", clients, clients == 1 ? "" : "s",
                    bench.connections(clients, 3.0));
        }
        for (int processes : new int[] {1, 64}) {
            bench.barriers(processes, 200); // warm-up
            double[] rtt = bench.barriers(processes, processes == 1 ? 2000 : 500);
            System.out.printf(Locale.ROOT, "barrier %d median_ms %.3f p99_ms %.3f%n", processes,
                    percentile(rtt, 50), percentile(rtt, 99));
        }
        for (int processes : new int[] {1, 64}) {
            double[] full = bench.checkpoints(processes, 30);
            System.out.printf(Locale.ROOT, "checkpoint %d median_ms %.3f p99_ms %.3f%n", processes,
                    percentile(full, 50), percentile(full, 99));
        }
    }

    private final String host;
    private final int port;
    private final Secret secret;
    private final Path dir;
    private final AtomicLong nextPid = new AtomicLong(1_000_000);

    private CoordinatorBench(String host, int port, Secret secret, Path dir) {
        this.host = host;
        this.port = port;
        this.secret = secret;
        this.dir = dir;
    }

    // ---- connections ------------------------------------------------------------------------------

    /** Connect, CHALLENGE, AUTH, AUTH_OK, close, as fast as {@code clients} threads can; per second. */
    private double connections(int clients, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Long>> done = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            done.add(pool.submit(() -> {
                long n = 0;
                while (!stop.get()) {
                    try (Connection c = connect(COMMAND)) {
                        c.resetOnClose();
                        n++;
                    }
                }
                return n;
            }));
        }
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        long total = 0;
        for (Future<Long> f : done) {
            total += f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return total / elapsed;
    }

    // ---- barriers ---------------------------------------------------------------------------------

    /**
     * {@code processes} fake processes in one checkpoint go through {@code rounds} barriers together. For
     * each barrier: milliseconds from the moment the last process sent BARRIER to the moment the last one
     * had its RELEASE — what the coordinator adds once the barrier is complete.
     */
    private double[] barriers(int processes, int rounds) throws Exception {
        List<Connection> fakes = register(processes);
        long gen = startCheckpoint(fakes);
        long[][] sent = new long[processes][rounds];
        long[][] released = new long[processes][rounds];
        CyclicBarrier together = new CyclicBarrier(processes);
        runEach(fakes, (i, c) -> {
            for (int r = 0; r < rounds; r++) {
                together.await();
                sent[i][r] = System.nanoTime();
                c.send(new Barrier("bench:" + r, gen));
                c.expect(Release.class);
                released[i][r] = System.nanoTime();
            }
            finish(c, gen, i);
        });
        closeAll(fakes);
        double[] rtt = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long lastSent = 0;
            long lastReleased = 0;
            for (int i = 0; i < processes; i++) {
                lastSent = Math.max(lastSent, sent[i][r]);
                lastReleased = Math.max(lastReleased, released[i][r]);
            }
            rtt[r] = (lastReleased - lastSent) / 1e6;
        }
        return rtt;
    }

    /** Blocking checkpoints of fake processes that answer every barrier at once: ms per checkpoint. */
    private double[] checkpoints(int processes, int count) throws Exception {
        List<Connection> fakes = register(processes);
        ExecutorService pool = Executors.newFixedThreadPool(processes);
        List<Future<?>> answering = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Connection c = fakes.get(i);
            int index = i;
            answering.add(pool.submit(() -> {
                for (int k = 0; k < count; k++) {
                    long gen = c.expect(Checkpoint.class).generation();
                    for (String name : List.of("SUSPENDED", "DRAINED")) {
                        c.send(new Barrier(name, gen));
                        c.expect(Release.class);
                    }
                    finish(c, gen, index);
                }
                return null;
            }));
        }
        double[] times = new double[count];
        try (Connection command = connect(COMMAND)) {
            for (int k = 0; k < count; k++) {
                long t0 = System.nanoTime();
                command.send(new Command(Verb.BLOCKING_CHECKPOINT, 0));
                CommandResult result = command.expectResult();
                times[k] = (System.nanoTime() - t0) / 1e6;
                if (!result.ok()) {
                    throw new IllegalStateException(result.text());
                }
            }
        }
        for (Future<?> f : answering) {
            f.get();
        }
        pool.shutdown();
        closeAll(fakes);
        return times;
    }

    private List<Connection> register(int processes) throws IOException {
        List<Connection> fakes = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Connection c = connect(PROCESS);
            long pid = nextPid.getAndIncrement();
            c.send(new Register("bench-" + pid, pid, pid, "bench", "fake", 1, 0, 0, "bench", dir.toString()));
            c.expect(Welcome.class);
            fakes.add(c);
        }
        return fakes;
    }

    /** Starts a checkpoint (non-blocking command) and has every fake read its CHECKPOINT. */
    private long startCheckpoint(List<Connection> fakes) throws IOException {
        try (Connection command = connect(COMMAND)) {
            command.send(new Command(Verb.CHECKPOINT, 0));
            command.expectResult();
        }
        long gen = -1;
        for (Connection c : fakes) {
            gen = c.expect(Checkpoint.class).generation();
        }
        return gen;
    }

    /** The end of a checkpoint: WRITTEN, an image reported, CHECKPOINTED. */
    private void finish(Connection c, long gen, int index) throws IOException {
        c.send(new Barrier("WRITTEN", gen));
        c.expect(Release.class);
        c.send(new CkptResult(gen, 0, dir.resolve("ckpt_fake_" + index + ".stasis").toString(), 1, 1, 1, ""));
        c.send(new Barrier("CHECKPOINTED", gen));
        c.expect(Release.class);
    }

    private interface Body {
        void run(int index, Connection c) throws Exception;
    }

    private static void runEach(List<Connection> fakes, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(fakes.size());
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < fakes.size(); i++) {
            int index = i;
            all.add(pool.submit(() -> {
                body.run(index, fakes.get(index));
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
    }

    private static void closeAll(List<Connection> fakes) {
        fakes.forEach(Connection::close);
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    // ---- one connection ---------------------------------------------------------------------------

    private Connection connect(int role) throws IOException {
        Connection c = new Connection(new Socket(host, port));
        Challenge challenge = c.expect(Challenge.class);
        c.send(new Auth(1, role, AuthMac.compute(secret, challenge.nonce(), role)));
        c.expect(AuthOk.class);
        return c;
    }

    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Close with RST: no TIME_WAIT left behind, thousands of times a second. */
        void resetOnClose() throws IOException {
            socket.setSoLinger(true, 0);
        }

        void send(Message m) throws IOException {
            out.write(FrameCodec.encode(m));
        }

        <T extends Message> T expect(Class<T> type) throws IOException {
            int length = Integer.reverseBytes(in.readInt());
            byte[] frame = new byte[length];
            in.readFully(frame);
            Message m;
            try {
                m = FrameCodec.decode(ByteBuffer.wrap(frame));
            } catch (Exception e) {
                throw new IOException(e);
            }
            if (!type.isInstance(m)) {
                throw new IOException("expected " + type.getSimpleName() + ", got " + m);
            }
            return type.cast(m);
        }

        /** A COMMAND_RESULT, skipping PROGRESS frames. */
        CommandResult expectResult() throws IOException {
            while (true) {
                int length = Integer.reverseBytes(in.readInt());
                byte[] frame = new byte[length];
                in.readFully(frame);
                try {
                    Message m = FrameCodec.decode(ByteBuffer.wrap(frame));
                    if (m instanceof CommandResult r) {
                        return r;
                    }
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the coordinator sees the close either way
            }
        }
    }
}
