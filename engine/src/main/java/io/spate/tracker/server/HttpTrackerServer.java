package io.spate.tracker.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The tracker's network side: HTTP (Netty's HTTP codec) on TCP and the UDP tracker protocol (BEP 15,
 * {@link UdpTrackerHandler}) on UDP, each bound on every address at the same port, on the native epoll transport
 * (NIO where epoll is unavailable), in front of one {@link SwarmRegistry}. One event loop thread accepts, decodes,
 * runs the registry and encodes for both: the registry has a single writer and needs no lock. It also runs the
 * periodic expiry sweep. TCP connections idle for 30 s are closed.
 * <pre>{@code
 * try (HttpTrackerServer server = new HttpTrackerServer(TrackerConfig.defaults(),
 *     List.of(new InetSocketAddress("127.0.0.1", 0))).start())
 * {
 *     String url = "http://127.0.0.1:" + server.port() + "/announce";
 * }
 * }</pre>
 */
public final class HttpTrackerServer implements AutoCloseable
{
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;
    /** A connection that sends nothing for this long is closed (peers announce every few minutes at most). */
    static final int IDLE_TIMEOUT_SECONDS = 30;
    /** Tries at a port pair when the port is ephemeral (picked for TCP, perhaps taken on UDP). */
    private static final int BIND_ATTEMPTS = 8;

    private final TrackerConfig config;
    private final List<InetSocketAddress> bindAddresses;
    private final EpochClock clock;
    private final List<Channel> channels = new ArrayList<>();
    private final List<Channel> udpChannels = new ArrayList<>();
    private EventLoopGroup group;
    private TrackerService service;
    private boolean epoll;

    /**
     * @param bindAddresses addresses to listen on (IPv4 and/or IPv6); a port of 0 in the first picks an ephemeral
     *                      port, which the others then share.
     */
    public HttpTrackerServer(final TrackerConfig config, final List<InetSocketAddress> bindAddresses)
    {
        this(config, bindAddresses, SystemEpochClock.INSTANCE);
    }

    public HttpTrackerServer(
        final TrackerConfig config, final List<InetSocketAddress> bindAddresses, final EpochClock clock)
    {
        if (bindAddresses.isEmpty())
        {
            throw new IllegalArgumentException("at least one bind address is required");
        }
        this.config = config;
        this.bindAddresses = List.copyOf(bindAddresses);
        this.clock = clock;
    }

    /**
     * Binds every address and starts serving.
     *
     * @throws IOException naming the address that could not be bound.
     */
    public HttpTrackerServer start() throws IOException
    {
        epoll = Epoll.isAvailable();
        final IoHandlerFactory ioHandler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("spate-tracker", true), ioHandler);
        service = new TrackerService(new SwarmRegistry(config), clock);

        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group, group)
            .channel(channelClass)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline()
                        .addLast(new ReadTimeoutHandler(IDLE_TIMEOUT_SECONDS))
                        .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192))
                        .addLast(new TrackerHttpHandler(service));
                }
            });
        final Bootstrap udp = new Bootstrap()
            .group(group)
            .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .handler(new UdpTrackerHandler(service.registry(), clock));
        if (epoll)
        {
            // recvmmsg: a batch of datagrams per system call (announces are < 2 KiB)
            udp.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2048);
        }
        try
        {
            // an ephemeral TCP port may be taken on UDP: then the whole set is bound again on another
            final int attempts = bindAddresses.get(0).getPort() == 0 ? BIND_ATTEMPTS : 1;
            for (int attempt = 1; !bind(bootstrap, udp, attempt == attempts); attempt++)
            {
                closeChannels();
            }
        }
        catch (final IOException | RuntimeException e)
        {
            close();
            throw e;
        }
        final long sweepMs = Math.min(60_000L, config.intervalSeconds() * 1000L);
        group.next().scheduleAtFixedRate(service::expire, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Binds every address on TCP, then on UDP at the same port.
     *
     * @return false when a UDP port was taken and {@code last} is false (the caller retries on a new port).
     */
    private boolean bind(final ServerBootstrap tcp, final Bootstrap udp, final boolean last) throws IOException
    {
        int port = bindAddresses.get(0).getPort();
        for (final InetSocketAddress requested : bindAddresses)
        {
            final InetSocketAddress address = requested.getPort() == 0 && port != 0 ?
                new InetSocketAddress(requested.getAddress(), port) : requested;
            try
            {
                channels.add(tcp.bind(address).sync().channel());
            }
            catch (final Exception e)
            {
                throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
            }
            port = ((InetSocketAddress)channels.get(channels.size() - 1).localAddress()).getPort();
        }
        for (final InetSocketAddress requested : bindAddresses)
        {
            final InetSocketAddress address = new InetSocketAddress(requested.getAddress(), port);
            try
            {
                udpChannels.add(udp.bind(address).sync().channel());
            }
            catch (final Exception e)
            {
                if (!last)
                {
                    return false;
                }
                throw new IOException("cannot listen on udp " + address + ": " + e.getMessage(), e);
            }
        }
        return true;
    }

    /** @return the port listened on (the ephemeral one picked when asked for port 0). */
    public int port()
    {
        return boundAddresses().get(0).getPort();
    }

    /** @return the addresses actually bound, in the order given. */
    public List<InetSocketAddress> boundAddresses()
    {
        final List<InetSocketAddress> out = new ArrayList<>();
        for (final Channel channel : channels)
        {
            out.add((InetSocketAddress)channel.localAddress());
        }
        return out;
    }

    /** @return whether the native epoll transport is in use (else NIO). */
    public boolean isEpoll()
    {
        return epoll;
    }

    /**
     * Runs a function on the event loop that owns the registry and waits for its result: the safe way for another
     * thread to read the registry (counters, sizes).
     */
    public <T> T onRegistry(final Function<SwarmRegistry, T> function)
    {
        try
        {
            return group.next().submit(() -> function.apply(service.registry())).get(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        catch (final ExecutionException | java.util.concurrent.TimeoutException e)
        {
            throw new IllegalStateException("registry call failed: " + e, e);
        }
    }

    private void closeChannels()
    {
        for (final Channel channel : channels)
        {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.clear();
        for (final Channel channel : udpChannels)
        {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        udpChannels.clear();
    }

    /** Closes the listening sockets and connections and stops the event loop; idempotent. */
    @Override
    public void close()
    {
        closeChannels();
        if (group != null)
        {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            group = null;
        }
    }
}
