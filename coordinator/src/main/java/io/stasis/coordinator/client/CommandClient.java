package io.stasis.coordinator.client;

import io.stasis.coordinator.protocol.Auth;
import io.stasis.coordinator.protocol.AuthMac;
import io.stasis.coordinator.protocol.AuthOk;
import io.stasis.coordinator.protocol.Challenge;
import io.stasis.coordinator.protocol.Command;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.coordinator.protocol.ErrorReply;
import io.stasis.coordinator.protocol.Message;
import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.protocol.Protocol;
import io.stasis.coordinator.protocol.ProtocolException;
import io.stasis.coordinator.protocol.Role;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.protocol.Verb;
import io.stasis.coordinator.report.ProcessView;
import io.stasis.coordinator.report.StatusReport;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A blocking command connection (plain socket, no Netty): authenticates as role "command", then sends
 * COMMAND frames one at a time. Every failure to talk is a {@link CoordinatorException}: unreachable
 * (refused, timed out, closed) or refused (bad secret, protocol error).
 */
public final class CommandClient implements AutoCloseable {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longest wait for an answer, except for a blocking checkpoint which may write gigabytes. */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Socket socket;
    private final FrameStream frames;
    private final String where;

    private CommandClient(Socket socket, String where) throws IOException {
        this.socket = socket;
        this.frames = new FrameStream(socket.getInputStream(), socket.getOutputStream());
        this.where = where;
    }

    public static CommandClient connect(String host, int port, Secret secret) throws CoordinatorException {
        return connect(host, port, secret, CONNECT_TIMEOUT);
    }

    public static CommandClient connect(String host, int port, Secret secret, Duration connectTimeout)
            throws CoordinatorException {
        String where = host + ":" + port;
        Socket socket = new Socket();
        try {
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
        } catch (IOException e) {
            closeQuietly(socket);
            throw new CoordinatorUnreachableException("no coordinator at " + where + ": " + describe(e), e);
        }
        try {
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            CommandClient client = new CommandClient(socket, where);
            client.authenticate(secret);
            return client;
        } catch (CoordinatorException e) {
            closeQuietly(socket);
            throw e;
        } catch (IOException e) {
            // something listens there: starting another coordinator on the port could only fail
            closeQuietly(socket);
            throw new CoordinatorRefusedException("the coordinator at " + where + " closed the connection before "
                    + "it authenticated: " + describe(e), e);
        }
    }

    private void authenticate(Secret secret) throws CoordinatorException {
        Message first = receive();
        if (first instanceof ErrorReply error) {
            throw refused(error);
        }
        if (!(first instanceof Challenge challenge)) {
            throw new CoordinatorRefusedException(where + " sent " + first.type() + " instead of CHALLENGE");
        }
        if (challenge.version() != Protocol.VERSION) {
            throw new CoordinatorRefusedException("coordinator at " + where + " speaks protocol version "
                    + challenge.version() + ", this stasis speaks " + Protocol.VERSION);
        }
        send(new Auth(Protocol.VERSION, Role.COMMAND.code(),
                AuthMac.compute(secret, challenge.nonce(), Role.COMMAND.code())));
        Message answer = receive();
        if (answer instanceof ErrorReply error) {
            throw refused(error);
        }
        if (!(answer instanceof AuthOk)) {
            throw new CoordinatorRefusedException(where + " sent " + answer.type() + " instead of AUTH_OK");
        }
    }

    /** Sends one command and waits for its result, handing PROGRESS frames to {@code progress} meanwhile. */
    public CommandResult send(Verb verb, long argument, Consumer<Progress> progress) throws CoordinatorException {
        try {
            boolean waitsForImages = verb == Verb.BLOCKING_CHECKPOINT || verb == Verb.CHECKPOINT_AND_STOP;
            socket.setSoTimeout(waitsForImages ? 0 : (int) ANSWER_TIMEOUT.toMillis());
        } catch (IOException e) {
            throw new CoordinatorUnreachableException("connection to " + where + " lost: " + describe(e), e);
        }
        send(new Command(verb, argument));
        while (true) {
            Message m = receive();
            if (m instanceof Progress p) {
                progress.accept(p);
            } else if (m instanceof CommandResult result) {
                return result;
            } else if (m instanceof ErrorReply error) {
                throw refused(error);
            } else {
                throw new CoordinatorRefusedException(where + " sent an unexpected " + m.type());
            }
        }
    }

    public CommandResult send(Verb verb, long argument) throws CoordinatorException {
        return send(verb, argument, p -> { });
    }

    /** Starts a checkpoint (or joins the running one); returns once it started. */
    public CommandResult checkpoint() throws CoordinatorException {
        return send(Verb.CHECKPOINT, 0);
    }

    /** Checkpoints and returns when every image is written, or the checkpoint failed. */
    public CommandResult blockingCheckpoint(Consumer<Progress> progress) throws CoordinatorException {
        return send(Verb.BLOCKING_CHECKPOINT, 0, progress);
    }

    /** A blocking checkpoint whose processes are killed at its end instead of resumed (batch eviction). */
    public CommandResult checkpointAndStop(Consumer<Progress> progress) throws CoordinatorException {
        return send(Verb.CHECKPOINT_AND_STOP, 0, progress);
    }

    public CommandResult kill() throws CoordinatorException {
        return send(Verb.KILL, 0);
    }

    /** 0 turns interval checkpoints off. */
    public CommandResult setInterval(long seconds) throws CoordinatorException {
        return send(Verb.SET_INTERVAL, seconds);
    }

    /** The coordinator answers, then exits. */
    public CommandResult quit() throws CoordinatorException {
        return send(Verb.QUIT, 0);
    }

    public StatusReport status() throws CoordinatorException {
        return StatusReport.fromJson(json(Verb.STATUS));
    }

    public List<ProcessView> list() throws CoordinatorException {
        return ProcessView.listFromJson(json(Verb.LIST));
    }

    private String json(Verb verb) throws CoordinatorException {
        CommandResult result = send(verb, 0);
        if (!result.ok()) {
            throw new CoordinatorRefusedException(verb + " failed: " + result.text());
        }
        return result.text();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private void send(Message message) throws CoordinatorException {
        try {
            frames.write(message);
        } catch (IOException e) {
            throw new CoordinatorUnreachableException("connection to " + where + " lost: " + describe(e), e);
        }
    }

    private Message receive() throws CoordinatorException {
        try {
            return frames.read();
        } catch (SocketTimeoutException e) {
            throw new CoordinatorUnreachableException("no answer from the coordinator at " + where + " within "
                    + ANSWER_TIMEOUT.toSeconds() + " s", e);
        } catch (EOFException e) {
            throw new CoordinatorUnreachableException("the coordinator at " + where + " closed the connection", e);
        } catch (IOException e) {
            throw new CoordinatorUnreachableException("connection to " + where + " lost: " + describe(e), e);
        } catch (ProtocolException e) {
            throw new CoordinatorRefusedException("bad frame from " + where + ": " + e.getMessage());
        }
    }

    private CoordinatorRefusedException refused(ErrorReply error) {
        return new CoordinatorRefusedException("coordinator at " + where + " refused us: " + error.message());
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing useful to do about a failing close
        }
    }
}
