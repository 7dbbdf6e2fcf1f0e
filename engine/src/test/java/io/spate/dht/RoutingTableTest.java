package io.spate.dht;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routing table's bound and split rules, and BEP 5's node states, with time passed in. */
class RoutingTableTest
{
    private static final long T0 = 1_000_000_000L;
    private final Random random = new Random(42);
    private final NodeId self = NodeId.random(random);
    private int next = 1;

    /** A contact at a new address each time (the table keeps one entry per address). */
    private Contact contact(final NodeId id)
    {
        final int n = next++;
        return new Contact(id, new InetSocketAddress("10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." +
            (n & 255), 6881));
    }

    @Test
    void staysBoundedWhateverAnswers()
    {
        final RoutingTable table = new RoutingTable(self, NodeId.BITS, T0);
        for (int i = 0; i < 100_000; i++)
        {
            table.onResponse(contact(NodeId.random(random)), T0 + i);
        }
        assertTrue(table.size() <= table.capacity(), "size " + table.size());
        // random ids fill the far buckets first: about log2(100000 / 8) buckets deep
        assertTrue(table.bucketCount() >= 10 && table.bucketCount() <= 30, "buckets " + table.bucketCount());
        for (int prefix = 0; prefix < 40; prefix++)
        {
            table.onResponse(contact(self.randomWithPrefix(prefix, random)), T0);
        }
        assertTrue(table.size() <= RoutingTable.K * table.bucketCount());
    }

    @Test
    void idsCloseToOursSplitTheLastBucketOnly()
    {
        final RoutingTable table = new RoutingTable(self, NodeId.BITS, T0);
        // 8 nodes in the far half fill bucket 0; a 9th far one is refused, no split (bucket 0 is not ours once split)
        for (int i = 0; i < RoutingTable.K; i++)
        {
            table.onResponse(contact(self.randomWithPrefix(0, random)), T0);
        }
        assertEquals(1, table.bucketCount());
        table.onResponse(contact(self.randomWithPrefix(5, random)), T0);
        assertEquals(2, table.bucketCount(), "the full bucket holding our id splits");
        assertEquals(RoutingTable.K + 1, table.size());
        final NodeId farNinth = self.randomWithPrefix(0, random);
        assertNull(table.onResponse(contact(farNinth), T0), "all good: nothing to ping");
        assertFalse(table.contains(farNinth), "a full far bucket of good nodes does not split");
        assertEquals(RoutingTable.K + 1, table.size());
    }

    @Test
    void aBoundedBucketCountBoundsTheTable()
    {
        final RoutingTable table = new RoutingTable(self, 3, T0);
        for (int i = 0; i < 10_000; i++)
        {
            table.onResponse(contact(self.randomWithPrefix(random.nextInt(NodeId.BITS), random)), T0);
        }
        assertEquals(3, table.bucketCount());
        assertEquals(3 * RoutingTable.K, table.size());
    }

    @Test
    void badNodesAreReplacedQuestionableOnesPinged()
    {
        final RoutingTable table = new RoutingTable(self, 1, T0);
        final List<Contact> first = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++)
        {
            final Contact c = contact(NodeId.random(random));
            first.add(c);
            table.onResponse(c, T0);
        }
        final Contact newcomer = contact(NodeId.random(random));
        assertNull(table.onResponse(newcomer, T0 + 1), "every node is good: nothing to ping, newcomer waits");
        assertFalse(table.contains(newcomer.id()));

        // 15 minutes of silence: all questionable; the newcomer's arrival names the stalest to ping
        final long later = T0 + RoutingEntry.GOOD_NS + 1;
        table.onResponse(first.get(3), later - 1000); // node 3 answered again: it is good, not stalest
        final Contact toPing = table.onResponse(newcomer, later);
        assertNotNull(toPing);
        assertFalse(toPing.equals(first.get(3)));

        // it fails twice: bad, and a waiting node gets its place when it answers
        table.onTimeout(toPing.address());
        table.onTimeout(toPing.address());
        assertFalse(table.contains(toPing.id()));
        assertTrue(table.wouldAccept(newcomer.id()));
        table.onResponse(newcomer, later + 1);
        assertTrue(table.contains(newcomer.id()));
        assertEquals(RoutingTable.K, table.size());
    }

    @Test
    void oneEntryPerAddressAndIdSpoofingIsIgnored()
    {
        final RoutingTable table = new RoutingTable(self, NodeId.BITS, T0);
        final Contact c = contact(NodeId.random(random));
        table.onResponse(c, T0);
        for (int i = 0; i < 100; i++)
        {
            table.onResponse(new Contact(NodeId.random(random), c.address()), T0);
        }
        assertEquals(1, table.size());
        table.onResponse(new Contact(c.id(), new InetSocketAddress("127.0.0.2", 1)), T0);
        assertEquals(1, table.size(), "the same id from another address does not move it");
        table.onResponse(new Contact(self, new InetSocketAddress("127.0.0.3", 1)), T0);
        assertEquals(1, table.size(), "our own id never enters");
    }

    @Test
    void goodQuestionableBadFollowBep5()
    {
        final RoutingEntry e = new RoutingEntry(new Contact(NodeId.random(random),
            new InetSocketAddress("127.0.0.1", 1)), T0);
        e.everResponded = true;
        assertTrue(e.good(T0 + RoutingEntry.GOOD_NS - 1));
        assertFalse(e.good(T0 + RoutingEntry.GOOD_NS), "15 minutes of silence: questionable");
        e.lastQueryNs = T0 + RoutingEntry.GOOD_NS;
        assertTrue(e.good(T0 + RoutingEntry.GOOD_NS + 1), "answered once, queried us lately: good");
        e.failures = 1;
        assertFalse(e.good(T0) || e.bad());
        e.failures = 2;
        assertTrue(e.bad());
    }

    @Test
    void closestIsSortedByXorDistanceAndStaleBucketsAreRefreshed()
    {
        final RoutingTable table = new RoutingTable(self, NodeId.BITS, T0);
        for (int i = 0; i < 200; i++)
        {
            table.onResponse(contact(NodeId.random(random)), T0);
        }
        final NodeId target = NodeId.random(random);
        final List<Contact> closest = table.closest(target, RoutingTable.K);
        assertEquals(RoutingTable.K, closest.size());
        for (int i = 1; i < closest.size(); i++)
        {
            assertTrue(target.compareDistance(closest.get(i - 1).id(), closest.get(i).id()) <= 0);
        }
        final List<Contact> ping = new ArrayList<>();
        final List<NodeId> refresh = new ArrayList<>();
        table.due(T0 + TimeUnit.MINUTES.toNanos(16), 8, ping, refresh, random);
        assertEquals(8, ping.size(), "questionable nodes pinged, at most 8 a round");
        assertFalse(refresh.isEmpty());
        assertEquals(table.export(T0).size(), table.size());
    }
}
