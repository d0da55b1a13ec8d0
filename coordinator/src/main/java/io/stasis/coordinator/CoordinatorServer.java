package io.stasis.coordinator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.stasis.api.text.ErrorText;
import io.stasis.coordinator.engine.CoordinatorEngine;
import io.stasis.coordinator.engine.LocalImageFiles;
import io.stasis.coordinator.engine.LocalProcessProbe;
import io.stasis.coordinator.netty.CoordinatorInitializer;
import io.stasis.coordinator.netty.EventLoopScheduler;
import io.stasis.coordinator.netty.Sessions;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.script.RestartScriptWriter;
import io.stasis.coordinator.state.StateDirectory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running coordinator: one Netty event loop thread runs every connection, the engine and its timers.
 * {@link #start} returns once it listens and its state directory (with the secret) is written; it stops
 * on {@link #close}, on the quit command, or with exit-on-last, and then removes its state directory.
 */
public final class CoordinatorServer implements AutoCloseable {

    private final System.Logger log = System.getLogger(CoordinatorServer.class.getName());
    private final NioEventLoopGroup group;
    private final EventLoop loop;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final Secret secret;
    private final String host;
    private final int port;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private CoordinatorEngine engine;
    private StateDirectory stateDirectory;
    private volatile String stopReason = "";

    private CoordinatorServer(NioEventLoopGroup group, Channel serverChannel, ChannelGroup connections, Secret secret,
                              String host) {
        this.group = group;
        this.loop = group.next();
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.secret = secret;
        this.host = host;
        this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Listens, writes the state directory under {@code env}'s STASIS_TMPDIR/TMPDIR and the port file.
     *
     * @throws IOException when the address cannot be bound or the state directory cannot be written
     */
    public static CoordinatorServer start(CoordinatorOptions options, Map<String, String> env) throws IOException {
        SecureRandom random = new SecureRandom();
        // on a port of its own, the secret of a coordinator that died there: its processes come back to us
        Optional<Secret> left = options.port() == 0 ? Optional.empty()
                : StateDirectory.forPort(env, options.port()).leftSecret();
        Secret secret = left.orElseGet(() -> Secret.random(random));
        NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("stasis-coordinator", true));
        ChannelGroup connections = new DefaultChannelGroup(group.next());
        Sessions sessions = new Sessions();
        Channel channel;
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new CoordinatorInitializer(secret, random, sessions, connections))
                    .bind(new InetSocketAddress(options.bindAddress(), options.port()))
                    .sync()
                    .channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            String where = options.bindAddress() + ":" + options.port();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = e instanceof UnresolvedAddressException ? "no such address" : ErrorText.of(e);
            throw new IOException("cannot listen on " + where + ": " + why, e);
        }
        CoordinatorServer server = new CoordinatorServer(group, channel, connections, secret,
                advertisedHost(options.bindAddress()));
        if (left.isPresent()) {
            server.log.log(Level.INFO, "adopting the processes of the coordinator that ran on port " + server.port
                    + " before (its secret was left in " + StateDirectory.forPort(env, server.port) + ")");
        }
        try {
            server.open(options, env, sessions);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void open(CoordinatorOptions options, Map<String, String> env, Sessions sessions) throws IOException {
        engine = new CoordinatorEngine(options, host, port, new EventLoopScheduler(loop), Clock.systemUTC(),
                new RestartScriptWriter(options.stasisCommand()), new LocalImageFiles(), new LocalProcessProbe(),
                this::stop);
        sessions.attach(engine);
        stateDirectory = StateDirectory.create(env, port, secret, ProcessHandle.current().pid());
        if (options.portFile().isPresent()) {
            writePortFile(options.portFile().get(), port);
        }
        serverChannel.closeFuture().addListener(f -> stop("listening socket closed"));
        loop.execute(engine::start);
    }

    public int port() {
        return port;
    }

    /** The host processes and restart scripts use to reach this coordinator. */
    public String host() {
        return host;
    }

    public Secret secret() {
        return secret;
    }

    public StateDirectory stateDirectory() {
        return stateDirectory;
    }

    /** The start-up line: where it listens and where its state is. */
    public String describe() {
        return "stasis coordinator listening on " + host + ":" + port + " (state in " + stateDirectory + ")";
    }

    /** Waits until the coordinator stopped (quit command, exit-on-last, close). */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Why it stopped, once it did. */
    public String stopReason() {
        return stopReason;
    }

    /** Stops the coordinator and waits (briefly) until it is down and its state directory is gone. */
    @Override
    public void close() {
        stop("closed");
        try {
            stopped.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop(String reason) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        stopReason = reason;
        if (loop.inEventLoop()) {
            shutDown(reason);
        } else if (!loop.isShuttingDown()) {
            loop.execute(() -> shutDown(reason));
        } else {
            shutDown(reason);
        }
    }

    private void shutDown(String reason) {
        if (engine != null) {
            engine.shutdown(reason);
        }
        serverChannel.close();
        connections.close();
        if (stateDirectory != null) {
            try {
                stateDirectory.delete();
            } catch (IOException e) {
                log.log(Level.WARNING, "cannot remove " + stateDirectory + ": " + e.getMessage());
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> stopped.countDown());
    }

    private static void writePortFile(Path file, int port) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(temp, port + "\n");
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String advertisedHost(String bindAddress) {
        try {
            if (InetAddress.getByName(bindAddress).isAnyLocalAddress()) {
                return InetAddress.getLocalHost().getHostName();
            }
        } catch (UnknownHostException e) {
            return bindAddress;
        }
        return bindAddress;
    }
}
