package io.spate.tracker.client;

import io.spate.tracker.AnnounceEvent;
import org.junit.jupiter.api.AfterEach;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BEP 15 announces against a scripted UDP tracker: the exchange byte by byte, errors, noise and silence. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpTrackerClientTest
{
    private static final byte[] HASH = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEER = "-SP0100-udptest00001".getBytes(StandardCharsets.US_ASCII);

    private final DatagramSocket tracker;
    private final List<byte[]> requests = new ArrayList<>();
    private Thread thread;

    UdpTrackerClientTest() throws IOException
    {
        tracker = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close()
    {
        tracker.close();
    }

    /** Answers each request with what {@code script} returns for it (null: no answer). */
    private void serve(final Function<ByteBuffer, List<byte[]>> script)
    {
        thread = new Thread(() ->
        {
            final byte[] buf = new byte[2048];
            while (!tracker.isClosed())
            {
                try
                {
                    final DatagramPacket p = new DatagramPacket(buf, buf.length);
                    tracker.receive(p);
                    final byte[] request = Arrays.copyOf(p.getData(), p.getLength());
                    synchronized (requests)
                    {
                        requests.add(request);
                    }
                    for (final byte[] reply : script.apply(ByteBuffer.wrap(request)))
                    {
                        tracker.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    }
                }
                catch (final IOException ignored)
                {
                    return;
                }
            }
        }, "fake-udp-tracker");
        thread.setDaemon(true);
        thread.start();
    }

    private URI url()
    {
        return URI.create("udp://127.0.0.1:" + tracker.getLocalPort() + "/announce");
    }

    private static List<byte[]> honest(final ByteBuffer r)
    {
        final int action = r.getInt(8);
        if (r.getLong(0) == 0x41727101980L && action == 0)
        {
            return List.of(ByteBuffer.allocate(16).putInt(0).putInt(r.getInt(12)).putLong(0x1122334455667788L)
                .array());
        }
        return List.of(ByteBuffer.allocate(32).putInt(1).putInt(r.getInt(12)).putInt(1800).putInt(3).putInt(1)
            .put(new byte[] {127, 0, 0, 1}).putShort((short)6881).put(new byte[] {10, 0, 0, 2}).putShort((short)51413)
            .array());
    }

    @Test
    void connectsThenAnnouncesAndParsesPeers() throws Exception
    {
        serve(UdpTrackerClientTest::honest);
        final TrackerClient client = new TrackerClient(Duration.ofSeconds(5));
        final AnnounceResponse r = client.announce(url(), new AnnounceParams(HASH, PEER, 6999, 7, 8, 9,
            AnnounceEvent.STARTED, 50, true));
        assertEquals(1800, r.intervalSeconds());
        assertEquals(1, r.complete());
        assertEquals(3, r.incomplete());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881), new InetSocketAddress("10.0.0.2", 51413)),
            r.peers());
        final ByteBuffer announce = ByteBuffer.wrap(requests.get(1));
        assertEquals(98, announce.limit());
        assertEquals(0x1122334455667788L, announce.getLong(0), "the connection id from the connect reply");
        assertEquals(1, announce.getInt(8));
        assertArrayEquals(HASH, Arrays.copyOfRange(requests.get(1), 16, 36));
        assertArrayEquals(PEER, Arrays.copyOfRange(requests.get(1), 36, 56));
        assertEquals(8, announce.getLong(56), "downloaded");
        assertEquals(9, announce.getLong(64), "left");
        assertEquals(7, announce.getLong(72), "uploaded");
        assertEquals(2, announce.getInt(80), "event started");
        assertEquals(50, announce.getInt(92), "num_want");
        assertEquals(6999, announce.getShort(96) & 0xFFFF, "port");

        client.announce(url(), AnnounceParams.of(HASH, PEER, 6999, 0, AnnounceEvent.NONE));
        assertEquals(3, requests.size(), "the connection id is reused within the minute: no second connect");
    }

    @Test
    void anErrorReplyIsATrackerFailureWithItsMessageAndNoiseIsIgnored() throws Exception
    {
        serve(r ->
        {
            if (r.getInt(8) == 0)
            {
                return honest(r);
            }
            final byte[] message = "torrent not registered".getBytes(StandardCharsets.UTF_8);
            return List.of(
                ByteBuffer.allocate(8).putInt(1).putInt(r.getInt(12) + 1).array(), // another transaction: ignored
                new byte[3], // too short to be anything: ignored
                ByteBuffer.allocate(8 + message.length).putInt(3).putInt(r.getInt(12)).put(message).array());
        });
        final TrackerFailureException ex = assertThrows(TrackerFailureException.class, () ->
            new TrackerClient(Duration.ofSeconds(5)).announce(url(),
                AnnounceParams.of(HASH, PEER, 6999, 1, AnnounceEvent.STARTED)));
        assertTrue(ex.getMessage().contains("torrent not registered"), ex.getMessage());
    }

    @Test
    void aShortAnnounceReplyIsAnErrorNamingIt() throws Exception
    {
        serve(r -> r.getInt(8) == 0 ? honest(r) : List.of(ByteBuffer.allocate(12).putInt(1).putInt(r.getInt(12))
            .putInt(1800).array()));
        final IOException ex = assertThrows(IOException.class, () -> new TrackerClient(Duration.ofSeconds(5))
            .announce(url(), AnnounceParams.of(HASH, PEER, 6999, 1, AnnounceEvent.NONE)));
        assertTrue(ex.getMessage().contains("in 12 bytes, expected action 1 in at least 20"), ex.getMessage());
    }

    @Test
    void aSilentTrackerTimesOutAfterRetriesWithinTheClientsTimeOut()
    {
        serve(r -> List.of());
        final long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> new TrackerClient(Duration.ofMillis(800))
            .announce(url(), AnnounceParams.of(HASH, PEER, 6999, 1, AnnounceEvent.NONE)));
        final long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 5_000, "gave up after " + ms + " ms");
        assertEquals(3, requests.size(), "three connect attempts");
    }
}
