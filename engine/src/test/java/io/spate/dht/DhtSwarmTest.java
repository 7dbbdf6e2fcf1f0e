package io.spate.dht;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An in-process swarm of DHT nodes on 127.0.0.1: an announced peer is found by a lookup from another node. */
class DhtSwarmTest
{
    private final List<DhtNode> nodes = new ArrayList<>();

    static DhtConfig loopback()
    {
        return new DhtConfig().bind(new InetSocketAddress("127.0.0.1", 0))
            .timeouts(TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.MILLISECONDS.toNanos(800),
                TimeUnit.SECONDS.toNanos(2))
            .lookupTimeout(TimeUnit.SECONDS.toNanos(10));
    }

    /** Starts {@code n} nodes, every one after the first bootstrapped from the first, and waits for their tables. */
    static List<DhtNode> swarm(final int n, final List<DhtNode> into) throws Exception
    {
        final DhtNode first = DhtNode.start(loopback());
        into.add(first);
        final String bootstrap = "127.0.0.1:" + first.localAddress().getPort();
        for (int i = 1; i < n; i++)
        {
            into.add(DhtNode.start(loopback().bootstrap(bootstrap)));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && into.stream().anyMatch(d -> d.routingTableSize() < Math.min(n - 1, 8)))
        {
            Thread.sleep(50);
        }
        return into;
    }

    @AfterEach
    void close()
    {
        nodes.forEach(DhtNode::close);
    }

    @Test
    @Timeout(60)
    void anAnnouncedPeerIsFoundFromAnotherNode() throws Exception
    {
        swarm(30, nodes);
        for (final DhtNode node : nodes)
        {
            assertTrue(node.routingTableSize() >= 8, "table of " + node.id() + ": " + node.routingTableSize());
        }
        final byte[] infoHash = new byte[20];
        new Random(5).nextBytes(infoHash);
        final List<InetSocketAddress> before = nodes.get(7).announce(infoHash, 40_001).get(20, TimeUnit.SECONDS);
        assertTrue(before.isEmpty(), "nobody announced yet: " + before);

        final List<InetSocketAddress> found = nodes.get(23).getPeers(infoHash).get(20, TimeUnit.SECONDS);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 40_001)), found);

        int stored = 0;
        for (final DhtNode node : nodes)
        {
            stored += node.storeSize().get(5, TimeUnit.SECONDS)[1];
        }
        assertTrue(stored >= 1 && stored <= RoutingTable.K, "stored on the k closest at most: " + stored);
        for (final DhtNode node : nodes)
        {
            assertEquals(0, node.counters().dropped(), node.id() + " dropped " + node.counters());
        }
    }

    @Test
    @Timeout(60)
    void savedNodesBootstrapANewNodeWithoutABootstrapAddress() throws Exception
    {
        swarm(12, nodes);
        final List<Contact> saved = nodes.get(3).nodes().get(5, TimeUnit.SECONDS);
        assertFalse(saved.isEmpty());
        final byte[] infoHash = new byte[20];
        new Random(9).nextBytes(infoHash);
        nodes.get(5).announce(infoHash, 40_002).get(20, TimeUnit.SECONDS);

        final DhtNode fresh = DhtNode.start(loopback().savedNodes(saved));
        nodes.add(fresh);
        final List<InetSocketAddress> found = fresh.getPeers(infoHash).get(20, TimeUnit.SECONDS);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 40_002)), found);
        assertTrue(fresh.routingTableSize() > 0);
    }
}
