package io.stasis.coordinator.server;

import io.stasis.coordinator.protocol.Auth;
import io.stasis.coordinator.protocol.AuthMac;
import io.stasis.coordinator.protocol.AuthOk;
import io.stasis.coordinator.protocol.Barrier;
import io.stasis.coordinator.protocol.Challenge;
import io.stasis.coordinator.protocol.Checkpoint;
import io.stasis.coordinator.protocol.CkptResult;
import io.stasis.coordinator.protocol.FrameCodec;
import io.stasis.coordinator.protocol.Message;
import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.protocol.ProtocolException;
import io.stasis.coordinator.protocol.Register;
import io.stasis.coordinator.protocol.Release;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.protocol.Welcome;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** A process's checkpoint thread, played by a test: speaks the protocol over a real socket. */
final class FakeProcess implements AutoCloseable {

    final long pid;
    private final Socket socket;
    private final DataInputStream in;

    private FakeProcess(long pid, Socket socket) throws IOException {
        this.pid = pid;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        socket.setSoTimeout(5000);
    }

    static FakeProcess register(int port, Secret secret, long pid) throws Exception {
        FakeProcess p = new FakeProcess(pid, new Socket("127.0.0.1", port));
        Challenge challenge = p.expect(Challenge.class);
        p.send(new Auth(1, 1, AuthMac.compute(secret, challenge.nonce(), 1)));
        p.expect(AuthOk.class);
        p.send(new Register("u-" + pid, pid, pid, "localhost", "p" + pid, 1, 0, 1, "comp", "/tmp"));
        p.expect(Welcome.class);
        return p;
    }

    void send(Message m) throws IOException {
        socket.getOutputStream().write(FrameCodec.encode(m));
    }

    Message read() throws IOException, ProtocolException {
        int length = Integer.reverseBytes(in.readInt());
        byte[] frame = new byte[FrameCodec.checkLength(Integer.toUnsignedLong(length))];
        in.readFully(frame);
        return FrameCodec.decode(ByteBuffer.wrap(frame));
    }

    <T extends Message> T expect(Class<T> type) throws IOException, ProtocolException {
        Message m = read();
        if (!type.isInstance(m)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + m);
        }
        return type.cast(m);
    }

    /** Waits for CHECKPOINT and goes through every barrier, writing nothing but reporting an image in {@code dir}. */
    Path checkpoint(Path dir) throws IOException, ProtocolException {
        long gen = expect(Checkpoint.class).generation();
        Path image = dir.resolve("ckpt_p" + pid + ".stasis");
        for (String barrier : List.of("SUSPENDED", "DRAINED", "WRITTEN", "CHECKPOINTED")) {
            if (barrier.equals("CHECKPOINTED")) {
                send(new CkptResult(gen, 0, image.toString(), 1000, 4000, 50, ""));
            }
            if (barrier.equals("WRITTEN")) {
                send(new Progress(gen, 1000, 1000));
            }
            send(new Barrier(barrier, gen));
            Release release = expect(Release.class);
            if (!release.name().equals(barrier)) {
                throw new AssertionError("released " + release.name() + " instead of " + barrier);
            }
        }
        return image;
    }

    /** True once the coordinator closed the connection. */
    boolean closedByPeer() {
        try {
            while (true) {
                read();
            }
        } catch (java.io.EOFException e) {
            return true;
        } catch (IOException | ProtocolException e) {
            return e instanceof java.net.SocketException;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
