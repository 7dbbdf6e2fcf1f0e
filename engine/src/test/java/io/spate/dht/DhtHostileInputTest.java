package io.spate.dht;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.spate.dht.Krpc.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input against a node of a live loopback swarm, from 127.0.0.2 (the honest nodes are 127.0.0.1, so the
 * per-IP rate limit tells them apart): malformed bencode, wrong types, huge lists, unsolicited answers and a query
 * flood with a fresh node id each time. Every bad packet is dropped and counted by kind, the routing table admits
 * none of the hostile ids, and an honest lookup through the node is answered during the flood.
 */
class DhtHostileInputTest
{
    private final List<DhtNode> nodes = new ArrayList<>();

    @AfterEach
    void close()
    {
        nodes.forEach(DhtNode::close);
    }

    @Test
    @Timeout(90)
    void badPacketsAreDroppedAndCountedAndHonestLookupsGoOn() throws Exception
    {
        DhtSwarmTest.swarm(10, nodes);
        final DhtNode target = nodes.get(0);
        final InetSocketAddress to = target.localAddress();
        final int tableBefore = target.routingTableSize();
        final Random random = new Random(13);
        try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0)))
        {
            final String id = "x".repeat(20);
            for (int i = 0; i < 100; i++)
            {
                final byte[] junk = new byte[1 + random.nextInt(200)];
                random.nextBytes(junk);
                junk[0] = 'd'; // opens a dictionary that never closes properly
                send(attacker, to, junk);
            }
            awaitCount(target, DhtCounter.DROPPED_MALFORMED, 100);
            for (int i = 0; i < 50; i++)
            {
                send(attacker, to, bytes("d1:ad2:idi" + i + "ee1:q4:ping1:t2:aa1:y1:qe")); // id is an integer
                send(attacker, to, bytes("d1:rd2:id20:" + id + "5:nodes7:1234567e1:t2:aa1:y1:re")); // bad nodes
            }
            awaitCount(target, DhtCounter.DROPPED_INVALID, 100);
            for (int i = 0; i < 50; i++)
            {
                send(attacker, to, bytes("d1:rd2:id20:" + id + "6:valuesl" + "0:".repeat(600) + "ee1:t2:aa1:y1:re"));
            }
            awaitCount(target, DhtCounter.DROPPED_OVERSIZED, 50);
            for (int i = 0; i < 100; i++)
            {
                // well-formed answers to queries never sent: each claims to be a new node
                final String claimed = new String(NodeId.random(random).toBytes(),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
                send(attacker, to, bytes("d1:rd2:id20:" + claimed + "e1:t2:" + (char)random.nextInt(128) +
                    (char)random.nextInt(128) + "1:y1:re"));
            }
            awaitCount(target, DhtCounter.DROPPED_UNSOLICITED, 100);

            // the flood: queries as fast as one thread sends them, each with a fresh id, while an honest lookup runs
            final AtomicBoolean flooding = new AtomicBoolean(true);
            final AtomicInteger sent = new AtomicInteger();
            final Thread flood = new Thread(() ->
            {
                final Random r = new Random(17);
                final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (flooding.get() && System.nanoTime() < end)
                {
                    final String fresh = new String(NodeId.random(r).toBytes(),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
                    try
                    {
                        send(attacker, to, bytes("d1:ad2:id20:" + fresh + "6:target20:" + fresh +
                            "e1:q9:find_node1:t2:ff1:y1:qe"));
                        sent.incrementAndGet();
                    }
                    catch (final Exception e)
                    {
                        return;
                    }
                }
            }, "dht-flood");
            flood.start();
            try
            {
                while (sent.get() < 2_000)
                {
                    Thread.sleep(10);
                }
                final byte[] infoHash = new byte[20];
                random.nextBytes(infoHash);
                nodes.get(4).announce(infoHash, 40_100).get(20, TimeUnit.SECONDS);
                final List<InetSocketAddress> found = nodes.get(7).getPeers(infoHash).get(20, TimeUnit.SECONDS);
                assertEquals(List.of(new InetSocketAddress("127.0.0.1", 40_100)), found,
                    "an honest lookup during the flood; target counters " + target.counters());
                final DhtNode probe = nodes.get(9);
                // a flood fills the target's socket buffer, so the kernel drops some honest queries too: still
                // answering means within a few lookups (each one retried by the lookup itself), not on every one
                boolean answered = false;
                for (int attempt = 0; attempt < 5 && !answered; attempt++)
                {
                    answered = probe.findNode(target.id()).get(20, TimeUnit.SECONDS).stream()
                        .anyMatch(c -> c.id().equals(target.id()));
                }
                assertTrue(answered, "the flooded node itself still answers");
            }
            finally
            {
                flooding.set(false);
                flood.join(5_000);
            }
            final DhtCounters counters = target.counters();
            assertTrue(counters.get(DhtCounter.DROPPED_RATE_LIMITED) > sent.get() / 2,
                "the flood was mostly refused: " + sent.get() + " sent, " + counters);
            assertTrue(target.routingTableSize() <= tableBefore + 1 && target.routingTableSize() < 10,
                "no hostile id entered the table: " + target.routingTableSize() + " (was " + tableBefore + ")");
        }
    }

    private static void send(final DatagramSocket socket, final InetSocketAddress to, final byte[] datagram)
        throws Exception
    {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    private static void awaitCount(final DhtNode node, final DhtCounter counter, final long atLeast)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node.counters().get(counter) < atLeast && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(atLeast, node.counters().get(counter), counter + ": " + node.counters());
    }
}
