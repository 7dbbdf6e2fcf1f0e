package io.spate.dht;

import io.spate.bencode.BencodeWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent driven by hand: {@code doWork()} called by the test with a fake clock, a real socket on loopback. Write
 * tokens rotate with the fake clock, queries we sent time out by it, and the store answers get_peers.
 */
class DhtAgentTest
{
    private final AtomicLong clock = new AtomicLong(5_000_000_000L);
    private final NodeId self = NodeId.random(new Random(1));
    private final NodeId querier = NodeId.random(new Random(2));
    private final NodeId infoHash = NodeId.random(new Random(3));
    private final KrpcEncoder encoder = new KrpcEncoder();
    private final KrpcDecoder decoder = new KrpcDecoder();
    private DatagramChannel channel;
    private DhtAgent agent;
    private DhtCounters counters;

    @AfterEach
    void close()
    {
        if (agent != null)
        {
            agent.onClose();
        }
    }

    private void startAgent() throws Exception
    {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        counters = new DhtCounters();
        final DhtConfig config = new DhtConfig().bind(new InetSocketAddress("127.0.0.1", 0)).conclude();
        agent = new DhtAgent(config, self, channel, Selector.open(), counters, clock::get, new Random(4), List.of());
        agent.onStart();
    }

    /** Sends a query, runs the agent until it has read it, returns the reply (skipping the agent's own pings). */
    private KrpcMessage ask(final DatagramSocket client, final BencodeWriter query) throws Exception
    {
        final long received = counters.get(DhtCounter.PACKETS_RECEIVED);
        client.send(new DatagramPacket(query.array(), query.length(), channel.getLocalAddress()));
        for (int i = 0; i < 1000 && counters.get(DhtCounter.PACKETS_RECEIVED) == received; i++)
        {
            agent.doWork();
            Thread.sleep(1);
        }
        final byte[] buffer = new byte[2048];
        for (int i = 0; i < 4; i++)
        {
            final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            client.receive(packet);
            final KrpcMessage m = decoder.decode(Arrays.copyOf(buffer, packet.getLength()), packet.getLength());
            if (m.kind() != KrpcMessage.Kind.QUERY)
            {
                return m;
            }
        }
        throw new AssertionError("no reply");
    }

    @Test
    @Timeout(30)
    void tokensRotateQueriesTimeOutAndTheStoreAnswers() throws Exception
    {
        startAgent();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            client.setSoTimeout(5_000);
            final byte[] t = {7, 7};
            final KrpcMessage first = ask(client, encoder.lookup(t, querier, KrpcMessage.GET_PEERS, infoHash));
            assertEquals(KrpcMessage.Kind.RESPONSE, first.kind());
            assertEquals(self, first.id());
            assertArrayEquals(t, first.transactionId());
            assertEquals(WriteTokens.LENGTH, first.token().length);
            assertTrue(first.values().isEmpty());

            clock.addAndGet(TimeUnit.MINUTES.toNanos(4));
            final KrpcMessage stored = ask(client, encoder.announcePeer(t, querier, infoHash, 6881, first.token()));
            assertEquals(KrpcMessage.Kind.RESPONSE, stored.kind());
            assertEquals(1, counters.get(DhtCounter.PEERS_STORED));

            // the agent pinged us (an unknown querier, room in its bucket); we never answered: by the fake clock,
            // the ping times out
            clock.addAndGet(TimeUnit.SECONDS.toNanos(6));
            agent.doWork();
            assertTrue(counters.get(DhtCounter.QUERY_TIMEOUTS) >= 1, counters.toString());
            assertEquals(0, agent.tableSize(), "a node that never answered stays out");

            clock.addAndGet(TimeUnit.MINUTES.toNanos(7)); // 11 minutes after the token: two rotations
            final KrpcMessage refused = ask(client, encoder.announcePeer(t, querier, infoHash, 6882, first.token()));
            assertEquals(KrpcMessage.Kind.ERROR, refused.kind());
            assertEquals(203, refused.errorCode());
            assertEquals(1, counters.get(DhtCounter.BAD_TOKEN));

            final KrpcMessage peers = ask(client, encoder.lookup(t, querier, KrpcMessage.GET_PEERS, infoHash));
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881)), peers.values());

            clock.addAndGet(PeerStore.TTL_NS);
            clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
            agent.doWork(); // maintenance expires the announcement
            final KrpcMessage expired = ask(client, encoder.lookup(t, querier, KrpcMessage.GET_PEERS, infoHash));
            assertTrue(expired.values().isEmpty(), "announcements expire");
        }
    }
}
