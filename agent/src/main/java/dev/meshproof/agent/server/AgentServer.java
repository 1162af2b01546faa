package dev.meshproof.agent.server;

import dev.meshproof.agent.AgentIdentity;
import dev.meshproof.agent.call.Caller;
import dev.meshproof.agent.otlp.OtlpReceiver;
import dev.meshproof.agent.otlp.SpanStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's listeners on Netty: HTTP/1.1 (echo, {@code POST /call}, health, readiness, stats, the OTLP trace
 * receiver), and cleartext HTTP/2 for OTLP/gRPC only, told apart by the connection's first bytes, on one port, and
 * the line-by-line TCP echo on another. Netty because the echo must never be a benchmark's bottleneck
 * (docs/agent.md, "Echo vs nginx"); native epoll where available, NIO otherwise.
 */
public final class AgentServer implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService callThreads;
    private final Channel http;
    private final Channel tcp;
    private final ServerStats stats;
    private final OtlpReceiver otlp;
    private final AtomicBoolean ready;
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * Where to listen (port 0 picks a free port, see {@link #httpPort()}) and how many received OTLP spans to keep
     * ({@link SpanStore#DEFAULT_CAPACITY} unless set).
     */
    public record Config(String bindAddress, int httpPort, int tcpPort, AgentIdentity identity, int otlpMaxSpans) {
        public Config(String bindAddress, int httpPort, int tcpPort, AgentIdentity identity) {
            this(bindAddress, httpPort, tcpPort, identity, SpanStore.DEFAULT_CAPACITY);
        }

        public static Config loopback(int httpPort, int tcpPort, AgentIdentity identity) {
            return new Config("127.0.0.1", httpPort, tcpPort, identity);
        }

        public Config withOtlpMaxSpans(int maxSpans) {
            return new Config(bindAddress, httpPort, tcpPort, identity, maxSpans);
        }
    }

    private AgentServer(EventLoopGroup boss, EventLoopGroup workers, ExecutorService callThreads, Channel http,
                        Channel tcp, ServerStats stats, OtlpReceiver otlp, AtomicBoolean ready) {
        this.boss = boss;
        this.workers = workers;
        this.callThreads = callThreads;
        this.http = http;
        this.tcp = tcp;
        this.stats = stats;
        this.otlp = otlp;
        this.ready = ready;
    }

    /**
     * Binds both ports and starts serving.
     *
     * @throws BindException when a port is taken (message names it)
     */
    public static AgentServer start(Config config) throws BindException, InterruptedException {
        OtlpReceiver otlp = new OtlpReceiver(new SpanStore(config.otlpMaxSpans()));
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        ExecutorService callThreads = Executors.newCachedThreadPool(daemonThreads("agent-call-"));
        ServerStats stats = new ServerStats();
        AtomicBoolean ready = new AtomicBoolean();
        AgentHttpHandler handler = new AgentHttpHandler(
                new EchoResponder(config.identity(), stats), new Caller(callThreads), otlp, callThreads, stats, ready);
        try {
            Channel http = bind(new ServerBootstrap().group(boss, workers).channel(channelType)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            stats.httpConnectionAccepted();
                            ch.pipeline().addLast(new Http2PrefaceSniffer(
                                    () -> new ChannelHandler[]{new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                            new ExactHeadersAggregator(MAX_REQUEST_BYTES), handler},
                                    () -> new ChannelHandler[]{Http2FrameCodecBuilder.forServer().build(),
                                            new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                                @Override
                                                protected void initChannel(Http2StreamChannel stream) {
                                                    stream.pipeline().addLast(new OtlpGrpcHandler(otlp, callThreads));
                                                }
                                            })}));
                        }
                    }), config.bindAddress(), config.httpPort(), "HTTP");
            Channel tcp;
            try {
                tcp = bind(new ServerBootstrap().group(boss, workers).channel(channelType)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                stats.tcpConnectionAccepted();
                                ch.pipeline().addLast(new LineBasedFrameDecoder(64 * 1024, false, false), new TcpEchoHandler());
                            }
                        }), config.bindAddress(), config.tcpPort(), "TCP");
            } catch (BindException | RuntimeException e) {
                http.close().sync();
                throw e;
            }
            ready.set(true);
            return new AgentServer(boss, workers, callThreads, http, tcp, stats, otlp, ready);
        } catch (BindException | InterruptedException | RuntimeException e) {
            shutdown(boss, workers, callThreads);
            throw e;
        }
    }

    private static Channel bind(ServerBootstrap bootstrap, String address, int port, String what)
            throws BindException, InterruptedException {
        bootstrap.option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true);
        try {
            return bootstrap.bind(new InetSocketAddress(address, port)).sync().channel();
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            BindException be = new BindException("cannot listen for " + what + " on " + address + ":" + port + ": " + e.getMessage());
            be.initCause(e);
            throw be;
        }
    }

    public int httpPort() {
        return ((InetSocketAddress) http.localAddress()).getPort();
    }

    public int tcpPort() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    public ServerStats stats() {
        return stats;
    }

    /** The OTLP trace receiver's span store (what {@code GET /otlp/spans} serves). */
    public SpanStore otlpSpans() {
        return otlp.store();
    }

    /** Blocks until {@link #close()} has run (the foreground mode waits here). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Stops accepting, reports not-ready, and shuts the event loops down (bounded: at most a few seconds). */
    @Override
    public void close() {
        ready.set(false);
        http.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        tcp.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdown(boss, workers, callThreads);
        closed.countDown();
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers, ExecutorService callThreads) {
        callThreads.shutdownNow();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
