package io.spate.tracker.server;

import io.spate.tracker.AnnounceEvent;
import io.spate.tracker.client.AnnounceParams;
import io.spate.tracker.client.AnnounceResponse;
import io.spate.tracker.client.TrackerClient;
import io.spate.tracker.client.TrackerFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracker's UDP side (BEP 15): announces through Spate's own UDP client, then raw datagrams good and bad. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpTrackerServerTest
{
    private static final byte[] HASH = "udp-tracker-hash-001".getBytes(StandardCharsets.US_ASCII);
    private HttpTrackerServer server;
    private DatagramSocket socket;

    @BeforeEach
    void start() throws Exception
    {
        server = new HttpTrackerServer(TrackerConfig.withInterval(900),
            List.of(new InetSocketAddress("127.0.0.1", 0))).start();
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(1_000);
    }

    @AfterEach
    void stop()
    {
        socket.close();
        server.close();
    }

    private URI url()
    {
        return URI.create("udp://127.0.0.1:" + server.port() + "/announce");
    }

    private static byte[] peerId(final int n)
    {
        return String.format("-SP0100-udpserver%03d", n).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void peersAnnouncingOverUdpFindEachOtherAndHttpPeersToo() throws Exception
    {
        final TrackerClient client = new TrackerClient(Duration.ofSeconds(5));
        final AnnounceResponse first = client.announce(url(), AnnounceParams.of(HASH, peerId(1), 7001, 0,
            AnnounceEvent.STARTED));
        assertEquals(900, first.intervalSeconds());
        assertEquals(List.of(), first.peers());
        final URI http = URI.create("http://127.0.0.1:" + server.port() + "/announce");
        client.announce(http, AnnounceParams.of(HASH, peerId(2), 7002, 10, AnnounceEvent.STARTED));
        final AnnounceResponse third = client.announce(url(), AnnounceParams.of(HASH, peerId(3), 7003, 10,
            AnnounceEvent.STARTED));
        assertEquals(Set.of(new InetSocketAddress("127.0.0.1", 7001), new InetSocketAddress("127.0.0.1", 7002)),
            Set.copyOf(third.peers()));
        assertEquals(1, third.complete());
        assertEquals(2, third.incomplete());
    }

    @Test
    void scrapeAnswersEachHashInOrder() throws Exception
    {
        new TrackerClient(Duration.ofSeconds(5)).announce(url(), AnnounceParams.of(HASH, peerId(1), 7001, 0,
            AnnounceEvent.COMPLETED));
        final long id = connect();
        final byte[] other = "another-hash-0000000".getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer reply = exchange(ByteBuffer.allocate(56).putLong(id).putInt(2).putInt(77).put(HASH)
            .put(other).array());
        assertEquals(32, reply.limit());
        assertEquals(2, reply.getInt(0));
        assertEquals(77, reply.getInt(4));
        assertEquals(List.of(1, 1, 0, 0, 0, 0), List.of(reply.getInt(8), reply.getInt(12), reply.getInt(16),
            reply.getInt(20), reply.getInt(24), reply.getInt(28)));
    }

    @Test
    void forgedOrStaleIdsShortPacketsAndBadMagicGetNoReply() throws Exception
    {
        final long id = connect();
        assertSilent(announce(id ^ 1, 5)); // forged connection id
        assertSilent(Arrays.copyOf(announce(id, 6), 97)); // an announce one byte short
        assertSilent(new byte[15]); // shorter than any request
        assertSilent(ByteBuffer.allocate(16).putLong(0x1234L).putInt(0).putInt(8).array()); // connect, wrong magic
        assertSilent(ByteBuffer.allocate(16).putLong(id).putInt(9).putInt(9).array()); // unknown action
        assertSilent(ByteBuffer.allocate(26).putLong(id).putInt(2).putInt(9).array()); // scrape, 10 hash bytes
        final ByteBuffer ok = exchange(announce(id, 10));
        assertEquals(1, ok.getInt(0), "a good announce after all that is still served");
        assertEquals(10, ok.getInt(4));
    }

    @Test
    void aRefusedAnnounceGetsAnErrorReplyNamingWhy() throws Exception
    {
        server.close();
        server = new HttpTrackerServer(TrackerConfig.withInterval(900).whitelist(
            Whitelist.of(List.of(new byte[20]))), List.of(new InetSocketAddress("127.0.0.1", 0)))
            .start();
        final TrackerFailureException ex = assertThrows(TrackerFailureException.class, () ->
            new TrackerClient(Duration.ofSeconds(5)).announce(url(), AnnounceParams.of(HASH, peerId(1), 7001, 0,
                AnnounceEvent.STARTED)));
        assertTrue(ex.getMessage().contains("unregistered info_hash: not on this tracker's whitelist"),
            ex.getMessage());
    }

    @Test
    void aUdpPortTakenByAnotherProgramIsNamedWhenThePortWasAskedFor() throws Exception
    {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            final HttpTrackerServer clash = new HttpTrackerServer(TrackerConfig.withInterval(900),
                List.of(new InetSocketAddress("127.0.0.1", port)));
            final IOException ex = assertThrows(IOException.class, clash::start);
            assertTrue(ex.getMessage().startsWith("cannot listen on udp /127.0.0.1:" + port), ex.getMessage());
            clash.close();
        }
    }

    private long connect() throws IOException
    {
        final ByteBuffer reply = exchange(ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(42)
            .array());
        assertEquals(0, reply.getInt(0));
        assertEquals(42, reply.getInt(4));
        return reply.getLong(8);
    }

    private static byte[] announce(final long id, final int transaction)
    {
        return ByteBuffer.allocate(98).putLong(id).putInt(1).putInt(transaction).put(HASH).put(peerId(9))
            .putLong(0).putLong(5).putLong(0).putInt(2).putInt(0).putInt(1).putInt(-1).putShort((short)7009).array();
    }

    private ByteBuffer exchange(final byte[] request) throws IOException
    {
        socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), server.port()));
        final DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        socket.receive(p);
        return ByteBuffer.wrap(Arrays.copyOf(p.getData(), p.getLength()));
    }

    private void assertSilent(final byte[] request) throws IOException
    {
        socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), server.port()));
        socket.setSoTimeout(300);
        try
        {
            final DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            socket.receive(p);
            throw new AssertionError("got a reply of " + p.getLength() + " bytes to a packet that deserves none");
        }
        catch (final SocketTimeoutException expected)
        {
            // silence
        }
        finally
        {
            socket.setSoTimeout(1_000);
        }
    }
}
