package io.spate.dht;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A Mainline DHT node (BEP 5) on one UDP socket and one thread of its own ({@code spate-dht}): it answers ping,
 * find_node, get_peers and announce_peer, keeps a bounded routing table, and runs lookups for callers. Every method
 * here may be called from any thread: it queues a command for the node's thread and returns at once; futures and
 * callbacks complete on that thread, so they must not block. IPv4 only.
 *
 * <pre>{@code
 * try (DhtNode dht = DhtNode.start(new DhtConfig().bind(new InetSocketAddress(6881)).bootstrap("host:6881")))
 * {
 *     dht.announce(infoHash, 51413).thenAccept(peers -> ...);
 * }
 * }</pre>
 */
public final class DhtNode implements AutoCloseable
{
    /** Longest a selector wait lasts: the timers' resolution when no datagram comes. */
    private static final long IDLE_WAIT_MS = 20;

    private final NodeId id;
    private final InetSocketAddress localAddress;
    private final DhtCounters counters;
    private final DhtAgent agent;
    private final AgentRunner runner;

    private DhtNode(final NodeId id, final InetSocketAddress localAddress, final DhtCounters counters,
        final DhtAgent agent, final AgentRunner runner)
    {
        this.id = id;
        this.localAddress = localAddress;
        this.counters = counters;
        this.agent = agent;
        this.runner = runner;
    }

    /**
     * Binds the socket, resolves the bootstrap nodes (unresolvable ones are skipped) and starts the node's thread,
     * which bootstraps at once and again every 5 s while its table is empty.
     */
    public static DhtNode start(final DhtConfig config) throws IOException
    {
        config.conclude();
        final Random random = new SecureRandom();
        final NodeId id = config.nodeId() != null ? config.nodeId() : NodeId.random(random);
        final List<InetSocketAddress> bootstrap = new ArrayList<>();
        for (final String hostPort : config.bootstrap())
        {
            final InetSocketAddress unresolved = DhtConfig.parseHostPort(hostPort);
            final InetSocketAddress resolved = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
            if (!resolved.isUnresolved())
            {
                bootstrap.add(resolved);
            }
        }
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        final Selector selector;
        try
        {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            channel.bind(config.bind());
            selector = Selector.open();
        }
        catch (final IOException | RuntimeException e)
        {
            channel.close();
            throw e;
        }
        final DhtCounters counters = new DhtCounters();
        final DhtAgent agent = new DhtAgent(config, id, channel, selector, counters, System::nanoTime, random,
            bootstrap);
        final ErrorHandler errors = Throwable::printStackTrace;
        final AgentRunner runner = new AgentRunner(new SelectIdleStrategy(selector, IDLE_WAIT_MS), errors, null, agent);
        final DhtNode node = new DhtNode(id, (InetSocketAddress)channel.getLocalAddress(), counters, agent, runner);
        AgentRunner.startOnThread(runner);
        return node;
    }

    /** @return this node's id. */
    public NodeId id()
    {
        return id;
    }

    /** @return the bound UDP address (the port to send in a PORT message). */
    public InetSocketAddress localAddress()
    {
        return localAddress;
    }

    public DhtCounters counters()
    {
        return counters;
    }

    /** @return nodes in the routing table, as of the node thread's last cycle. */
    public int routingTableSize()
    {
        return agent.tableSize();
    }

    /**
     * Finds peers for an info-hash: an iterative get_peers lookup.
     *
     * @param onPeers called on the node's thread with each batch of peers not seen before in this lookup (may be
     *                null).
     * @return every peer found, when the lookup ends.
     */
    public CompletableFuture<List<InetSocketAddress>> getPeers(final byte[] infoHash,
        final Consumer<List<InetSocketAddress>> onPeers)
    {
        return lookup(NodeId.of(infoHash), -1, onPeers);
    }

    /** As {@link #getPeers(byte[], Consumer)} without a running callback. */
    public CompletableFuture<List<InetSocketAddress>> getPeers(final byte[] infoHash)
    {
        return getPeers(infoHash, null);
    }

    /**
     * Announces that we serve an info-hash on TCP {@code port}: a get_peers lookup, then announce_peer to the (up to)
     * 8 closest nodes that answered, each with its token. Port 0 announces implied_port (our DHT port).
     *
     * @return the peers the lookup found.
     */
    public CompletableFuture<List<InetSocketAddress>> announce(final byte[] infoHash, final int port)
    {
        return announce(infoHash, port, null);
    }

    /** As {@link #announce(byte[], int)}, with peers handed to {@code onPeers} as the lookup finds them. */
    public CompletableFuture<List<InetSocketAddress>> announce(final byte[] infoHash, final int port,
        final Consumer<List<InetSocketAddress>> onPeers)
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port " + port);
        }
        return lookup(NodeId.of(infoHash), port, onPeers);
    }

    /** @return the K closest nodes to {@code target} that answered a find_node lookup. */
    public CompletableFuture<List<Contact>> findNode(final NodeId target)
    {
        final CompletableFuture<List<Contact>> result = new CompletableFuture<>();
        submit(result, () ->
        {
            if (!agent.lookups().start(target, false, -1, List.of(), null,
                l -> result.complete(l.closestAnswered()), agent.nowNs()))
            {
                result.completeExceptionally(new IllegalStateException("too many lookups waiting"));
            }
        });
        return result;
    }

    /**
     * @return the nodes that have answered us, good ones first: what a daemon saves and passes back through
     * {@link DhtConfig#savedNodes} on its next start.
     */
    public CompletableFuture<List<Contact>> nodes()
    {
        final CompletableFuture<List<Contact>> result = new CompletableFuture<>();
        submit(result, () -> result.complete(agent.table().export(agent.nowNs())));
        return result;
    }

    /**
     * Pings a node that may be one: a peer's PORT message (BEP 5: its IP, the port it sent) or a saved contact.
     * It enters the routing table if it answers.
     */
    public void addNode(final InetSocketAddress address)
    {
        agent.offer(() ->
        {
            if (agent.table().size() == 0)
            {
                // an empty table learns more from a find_node of our own id than from a ping
                agent.rpc().lookup(address, KrpcMessage.FIND_NODE, id, Rpc.IGNORE, agent.nowNs());
            }
            else
            {
                agent.rpc().ping(address, Rpc.IGNORE, agent.nowNs());
            }
        });
    }

    /** @return the number of info-hashes and peers stored for other nodes (announce_peer), for tests and stats. */
    public CompletableFuture<int[]> storeSize()
    {
        final CompletableFuture<int[]> result = new CompletableFuture<>();
        submit(result, () -> result.complete(new int[] {agent.store().infoHashes(), agent.store().size()}));
        return result;
    }

    /** Stops the node's thread and closes the socket; pending lookups complete with what they had. */
    @Override
    public void close()
    {
        runner.close();
    }

    private CompletableFuture<List<InetSocketAddress>> lookup(final NodeId target, final int announcePort,
        final Consumer<List<InetSocketAddress>> onPeers)
    {
        final CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        submit(result, () ->
        {
            if (!agent.lookups().start(target, true, announcePort, List.of(), onPeers,
                l -> result.complete(l.peers()), agent.nowNs()))
            {
                result.completeExceptionally(new IllegalStateException("too many lookups waiting"));
            }
        });
        return result;
    }

    private void submit(final CompletableFuture<?> result, final Runnable command)
    {
        if (runner.isClosed())
        {
            result.completeExceptionally(new IllegalStateException("the DHT node is closed"));
            return;
        }
        if (!agent.offer(() ->
        {
            try
            {
                command.run();
            }
            catch (final RuntimeException e)
            {
                result.completeExceptionally(e);
            }
        }))
        {
            result.completeExceptionally(new IllegalStateException("the DHT node's command queue is full"));
        }
    }
}
