package io.stasis.tests.e2e;

import io.stasis.coordinator.protocol.Auth;
import io.stasis.coordinator.protocol.AuthMac;
import io.stasis.coordinator.protocol.Challenge;
import io.stasis.coordinator.protocol.FrameCodec;
import io.stasis.coordinator.protocol.MessageType;
import io.stasis.coordinator.protocol.ProtocolException;
import io.stasis.coordinator.protocol.Register;
import io.stasis.coordinator.protocol.Secret;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Connections that must be turned away: a wrong secret, garbage, an oversized frame, an unknown type,
 * a message before authentication, random frames before and after authentication. Each one sends its
 * offence and reports whether the coordinator closed the connection afterwards.
 */
final class HostileClients {

    private static final int CLOSE_TIMEOUT_MS = 5000;

    private final String host;
    private final int port;
    private final Secret secret;
    private final Random random;

    HostileClients(String host, int port, Secret secret, long seed) {
        this.host = host;
        this.port = port;
        this.secret = secret;
        this.random = new Random(seed);
    }

    /** How many kinds of offence {@link #attack} knows. */
    static final int KINDS = 8;

    /** Commits offence {@code kind} on a new connection; true once the coordinator closed it. */
    boolean attack(int kind) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(CLOSE_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            Challenge challenge = (Challenge) read(in);
            byte[] offence = switch (kind) {
                case 0 -> auth(Secret.random(new SecureRandom()), challenge, 2);
                case 1 -> auth(Secret.random(new SecureRandom()), challenge, 1);
                case 2 -> rawFrame(random.nextInt(61) + 4);
                case 3 -> new byte[] {0, 0, (byte) 0x10, (byte) (1 + random.nextInt(127)), 1, 2, 3};
                case 4 -> frame(0xFFFF, new byte[0]);
                case 5 -> FrameCodec.encode(new Register("u", 1, 1, "h", "p", 1, 0, 1, "c", "/tmp"));
                case 6 -> randomFrame();
                default -> concat(auth(secret, challenge, 1), randomFrame());
            };
            socket.getOutputStream().write(offence);
            socket.getOutputStream().flush();
            return closedByPeer(socket.getInputStream());
        }
    }

    private static byte[] auth(Secret secret, Challenge challenge, int role) {
        return FrameCodec.encode(new Auth(1, role, AuthMac.compute(secret, challenge.nonce(), role)));
    }

    /** A well-framed message of a real type whose body is random: almost never a valid body. */
    private byte[] randomFrame() {
        MessageType[] types = MessageType.values();
        byte[] body = new byte[random.nextInt(40)];
        random.nextBytes(body);
        return frame(types[random.nextInt(types.length)].code(), body);
    }

    /** A length field that matches, then random type, reserved and body. */
    private byte[] rawFrame(int length) {
        byte[] rest = new byte[length];
        random.nextBytes(rest);
        return ByteBuffer.allocate(4 + length).order(ByteOrder.LITTLE_ENDIAN).putInt(length).put(rest).array();
    }

    private static byte[] frame(int type, byte[] body) {
        return ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + body.length)
                .putShort((short) type).putShort((short) 0).put(body).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    private static io.stasis.coordinator.protocol.Message read(DataInputStream in) throws IOException {
        int length = Integer.reverseBytes(in.readInt());
        byte[] frame = new byte[length];
        in.readFully(frame);
        try {
            return FrameCodec.decode(ByteBuffer.wrap(frame));
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    /** Reads (AUTH_OK, ERROR…) until the end of the stream; false if it stays open. */
    private static boolean closedByPeer(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // what the coordinator says before it closes does not matter here
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: closed with our bytes unread
        }
    }
}
