package io.spate.service.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.spate.service.Daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's control API and dashboard: HTTP/1.1 with keep-alive on Netty's codec, on epoll where available, as the
 * tracker's {@code HttpTrackerServer} serves. One event loop does the I/O; requests run on two worker threads of
 * their own, since some wait on the engine (a pause drains the torrent's writes, a remove closes its files).
 */
public final class ApiServer implements AutoCloseable
{
    /** Largest request body: a .torrent of 10,000 files is a few MiB. */
    public static final int MAX_BODY_BYTES = 16 << 20;
    private static final int MAX_INITIAL_LINE = 8192;
    private static final int MAX_HEADER_SIZE = 16384;
    /** A client silent this long is closed (the dashboard polls every second). */
    private static final int IDLE_TIMEOUT_SECONDS = 120;
    /** At close, requests in flight get this long to be answered (a pause drains a torrent's writes first). */
    private static final long DRAIN_TIMEOUT_MS = 10_000;

    private final Daemon daemon;
    private final InetSocketAddress bindAddress;
    private final String token;
    private EventLoopGroup group;
    private ExecutorService workers;
    private Channel channel;
    /** Every open connection, closed before the threads stop (else their pipelines are torn down on dead loops). */
    private ChannelGroup connections;
    private ServiceMetrics metrics;
    private final ApiGate gate = new ApiGate();

    /**
     * @param token the secret every request must carry, or null when the API is on loopback and needs none.
     */
    public ApiServer(final Daemon daemon, final InetSocketAddress bindAddress, final String token)
    {
        this.daemon = daemon;
        this.bindAddress = bindAddress;
        this.token = token;
    }

    /** @throws IOException naming the address when it cannot be bound. */
    public ApiServer start() throws IOException
    {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory ioHandler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("spate-api", true), ioHandler);
        workers = Executors.newFixedThreadPool(2, new DefaultThreadFactory("spate-api-worker", true));
        connections = new DefaultChannelGroup("spate-api", GlobalEventExecutor.INSTANCE);
        metrics = new ServiceMetrics(daemon);
        final ApiRoutes routes = new ApiRoutes(daemon, metrics);
        final StaticAssets assets = new StaticAssets();
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group, group)
            .channel(channelClass)
            .option(ChannelOption.SO_BACKLOG, 128)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    connections.add(ch);
                    ch.pipeline()
                        .addLast(new ReadTimeoutHandler(IDLE_TIMEOUT_SECONDS))
                        .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192))
                        .addLast(new JsonAggregator(MAX_BODY_BYTES))
                        .addLast(new ApiHandler(routes, assets, token, bindAddress, workers, gate));
                }
            });
        try
        {
            channel = bootstrap.bind(bindAddress).sync().channel();
        }
        catch (final Exception ex)
        {
            close();
            throw new IOException("cannot listen on " + bindAddress + ": " + ex.getMessage(), ex);
        }
        return this;
    }

    /** @return the address listened on (the real port when 0 was asked for). */
    public InetSocketAddress address()
    {
        return (InetSocketAddress)channel.localAddress();
    }

    /**
     * Stops in order: no new connection, new requests answered 503, those in flight answered (within
     * {@link #DRAIN_TIMEOUT_MS}), then the connections, the workers and the event loop, so no reply is written to a
     * stopped loop. Call it before closing the daemon, whose torrents the requests in flight may still need.
     */
    @Override
    public void close()
    {
        if (channel != null)
        {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            channel = null;
        }
        try
        {
            gate.close(DRAIN_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (workers != null)
        {
            workers.shutdownNow(); // only a request stuck past the drain is interrupted; its late reply is dropped
            awaitTermination(workers);
            workers = null;
        }
        if (connections != null)
        {
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (group != null)
        {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            group = null;
        }
    }

    private static void awaitTermination(final ExecutorService executor)
    {
        try
        {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
