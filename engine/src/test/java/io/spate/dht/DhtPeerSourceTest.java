package io.spate.dht;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two torrents' peer sources on different nodes of a swarm find each other; private torrents are refused. */
class DhtPeerSourceTest
{
    private final List<DhtNode> nodes = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close()
    {
        scheduler.shutdownNow();
        nodes.forEach(DhtNode::close);
    }

    @Test
    @Timeout(60)
    void twoPeersOfOneTorrentFindEachOther() throws Exception
    {
        DhtSwarmTest.swarm(10, nodes);
        final byte[] infoHash = new byte[20];
        new Random(21).nextBytes(infoHash);
        final Set<InetSocketAddress> seenByA = ConcurrentHashMap.newKeySet();
        final Set<InetSocketAddress> seenByB = ConcurrentHashMap.newKeySet();
        try (DhtPeerSource a = new DhtPeerSource(nodes.get(2), infoHash, 40_300, scheduler, seenByA::addAll,
                Duration.ofSeconds(60), Duration.ofSeconds(1));
             DhtPeerSource b = new DhtPeerSource(nodes.get(8), infoHash, 40_301, scheduler, seenByB::addAll,
                 Duration.ofSeconds(60), Duration.ofSeconds(1)))
        {
            a.start();
            b.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline &&
                !(seenByA.contains(new InetSocketAddress("127.0.0.1", 40_301)) &&
                    seenByB.contains(new InetSocketAddress("127.0.0.1", 40_300))))
            {
                Thread.sleep(50);
            }
            assertTrue(seenByA.contains(new InetSocketAddress("127.0.0.1", 40_301)), "A saw " + seenByA);
            assertTrue(seenByB.contains(new InetSocketAddress("127.0.0.1", 40_300)), "B saw " + seenByB);
            final long roundsA = a.rounds();
            Thread.sleep(2_500);
            assertTrue(a.rounds() <= roundsA + 1, "once peers came, rounds slow to the regular interval");
        }
    }

    @Test
    void privateTorrentsNeverUseTheDht()
    {
        assertThrows(IllegalArgumentException.class, () -> DhtPeerSource.forTorrent(null, new byte[20], true, 6881,
            scheduler, peers -> { }));
    }
}
