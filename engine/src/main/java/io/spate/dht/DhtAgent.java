package io.spate.dht;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The DHT node's single thread of work: one non-blocking {@link DatagramChannel}, read in bounded batches, each
 * datagram decoded, rate-limited (queries), matched (answers) or dropped and counted; commands from other threads
 * (lookups, announces, exports) run here from a bounded queue; timers expire queries, run lookups, rotate tokens,
 * expire stored peers, ping questionable nodes, refresh stale buckets and re-bootstrap an empty table.
 * All state is owned by this agent; {@link DhtNode} is its proxy.
 */
final class DhtAgent implements Agent
{
    private static final int MAX_DATAGRAMS_PER_CYCLE = 256;
    private static final int MAX_COMMANDS_PER_CYCLE = 64;
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAINTENANCE_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long REBOOTSTRAP_NS = TimeUnit.SECONDS.toNanos(5);

    private final DhtConfig config;
    private final NodeId self;
    private final DatagramChannel channel;
    private final Selector selector;
    private final DhtCounters counters;
    private final LongSupplier clock;
    private final Random random;
    private final RoutingTable table;
    private final PeerStore store;
    private final SourceRateLimiter limiter;
    private final Rpc rpc;
    private final QueryResponder responder;
    private final Lookups lookups;
    private final KrpcDecoder decoder = new KrpcDecoder();
    private final ByteBuffer receive = ByteBuffer.allocate(65_536);
    private final ManyToOneConcurrentArrayQueue<Runnable> commands = new ManyToOneConcurrentArrayQueue<>(1024);
    private final List<InetSocketAddress> bootstrap;
    private long lastTickNs;
    private long lastMaintenanceNs;
    private long lastBootstrapNs;
    private volatile int tableSize;

    DhtAgent(final DhtConfig config, final NodeId self, final DatagramChannel channel, final Selector selector,
        final DhtCounters counters, final LongSupplier clock, final Random random,
        final List<InetSocketAddress> bootstrap) throws IOException
    {
        this.config = config;
        this.self = self;
        this.channel = channel;
        this.selector = selector;
        this.counters = counters;
        this.clock = clock;
        this.random = random;
        this.bootstrap = bootstrap;
        final long nowNs = clock.getAsLong();
        this.table = new RoutingTable(self, config.maxBuckets(), nowNs);
        this.store = new PeerStore(config.maxPeersPerInfoHash(), config.maxInfoHashes(), config.maxStoredPeers());
        this.limiter = new SourceRateLimiter(config.queriesPerSecondPerSource(), config.queryBurstPerSource(),
            config.maxRateLimitedSources());
        final RttEstimator rtt = new RttEstimator(config.minTimeoutNs(), config.initialTimeoutNs(),
            config.maxTimeoutNs());
        this.rpc = new Rpc(channel, self, table, counters, rtt, config.maxOutstanding(), random.nextInt());
        this.responder = new QueryResponder(self, table, new WriteTokens(new java.security.SecureRandom(), nowNs),
            store, rpc, counters, random, config.maxValuesPerReply());
        this.lookups = new Lookups(self, table, rpc, counters, config, clock);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
    }

    @Override
    public String roleName()
    {
        return "spate-dht";
    }

    @Override
    public void onStart()
    {
        final long nowNs = clock.getAsLong();
        lastTickNs = nowNs;
        lastMaintenanceNs = nowNs;
        startBootstrap(config.savedNodes(), nowNs);
    }

    @Override
    public int doWork() throws IOException
    {
        int work = 0;
        for (int i = 0; i < MAX_COMMANDS_PER_CYCLE; i++)
        {
            final Runnable command = commands.poll();
            if (command == null)
            {
                break;
            }
            command.run();
            work++;
        }
        work += receive();
        final long nowNs = clock.getAsLong();
        if (nowNs - lastTickNs >= TICK_NS)
        {
            lastTickNs = nowNs;
            rpc.expire(nowNs);
            lookups.tick(nowNs);
        }
        if (nowNs - lastMaintenanceNs >= MAINTENANCE_NS)
        {
            lastMaintenanceNs = nowNs;
            maintain(nowNs);
        }
        tableSize = table.size();
        return work;
    }

    @Override
    public void onClose()
    {
        Runnable command;
        while ((command = commands.poll()) != null)
        {
            command.run(); // queued commands still complete their futures
        }
        lookups.closeAll(); // every lookup ends with what it had, so no caller waits forever
        try
        {
            selector.close();
        }
        catch (final IOException ignored)
        {
            // closing
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // closing
        }
    }

    /** @return false when the command queue is full. */
    boolean offer(final Runnable command)
    {
        if (!commands.offer(command))
        {
            return false;
        }
        selector.wakeup();
        return true;
    }

    int tableSize()
    {
        return tableSize;
    }

    RoutingTable table()
    {
        return table;
    }

    PeerStore store()
    {
        return store;
    }

    Lookups lookups()
    {
        return lookups;
    }

    Rpc rpc()
    {
        return rpc;
    }

    long nowNs()
    {
        return clock.getAsLong();
    }

    /** Asks nodes (saved ones, a PORT message's, the bootstrap addresses) to let us in: find_node for our own id. */
    void startBootstrap(final List<Contact> seeds, final long nowNs)
    {
        lastBootstrapNs = nowNs;
        for (final InetSocketAddress address : bootstrap)
        {
            rpc.lookup(address, KrpcMessage.FIND_NODE, self, new Rpc.Callback()
            {
                @Override
                public void onResponse(final KrpcMessage message, final Contact from)
                {
                    lookups.start(self, false, -1, message.nodes(), null, l -> { }, clock.getAsLong());
                }

                @Override
                public void onFailure()
                {
                }
            }, nowNs);
        }
        if (!seeds.isEmpty() || table.size() > 0)
        {
            lookups.start(self, false, -1, seeds, null, l -> { }, nowNs);
        }
    }

    private int receive() throws IOException
    {
        int n = 0;
        while (n < MAX_DATAGRAMS_PER_CYCLE)
        {
            receive.clear();
            final SocketAddress source = channel.receive(receive);
            if (source == null)
            {
                break;
            }
            n++;
            counters.increment(DhtCounter.PACKETS_RECEIVED);
            onDatagram((InetSocketAddress)source, receive.position(), clock.getAsLong());
        }
        return n;
    }

    private void onDatagram(final InetSocketAddress from, final int length, final long nowNs)
    {
        final KrpcMessage message;
        try
        {
            message = decoder.decode(receive.array(), length);
        }
        catch (final KrpcDropException e)
        {
            counters.increment(e.counter());
            return;
        }
        if (message.kind() == KrpcMessage.Kind.QUERY)
        {
            if (!limiter.tryAcquire(from.getAddress(), nowNs))
            {
                counters.increment(DhtCounter.DROPPED_RATE_LIMITED);
                return;
            }
            responder.onQuery(message, from, nowNs);
        }
        else if (!rpc.onAnswer(message, from, nowNs))
        {
            counters.increment(DhtCounter.DROPPED_UNSOLICITED);
        }
    }

    private void maintain(final long nowNs)
    {
        store.expire(nowNs);
        final List<Contact> toPing = new ArrayList<>();
        final List<NodeId> toRefresh = new ArrayList<>();
        table.due(nowNs, 8, toPing, toRefresh, random);
        for (final Contact c : toPing)
        {
            rpc.ping(c.address(), Rpc.IGNORE, nowNs);
        }
        for (final NodeId target : toRefresh)
        {
            lookups.start(target, false, -1, List.of(), null, l -> { }, nowNs);
        }
        if (table.size() == 0 && nowNs - lastBootstrapNs >= REBOOTSTRAP_NS)
        {
            startBootstrap(config.savedNodes(), nowNs);
        }
    }
}
