package io.spate.tracker.client;

import com.sun.net.httpserver.HttpServer;
import io.spate.tracker.AnnounceEvent;
import io.spate.tracker.server.HttpTrackerServer;
import io.spate.tracker.server.TrackerConfig;
import io.spate.tracker.server.Whitelist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a real Spate tracker on 127.0.0.1 and ::1, and against canned replies of other trackers. */
@Timeout(60)
class TrackerClientTest
{
    private static final byte[] HASH = new byte[20];
    private static final byte[] OTHER_HASH = new byte[20];

    static
    {
        for (int i = 0; i < 20; i++)
        {
            HASH[i] = (byte)(i * 13 + 200); // high bytes and '&', '%' need escaping
            OTHER_HASH[i] = (byte)i;
        }
    }

    private final TrackerClient client = new TrackerClient();
    private HttpTrackerServer server;
    private HttpServer stub;

    @BeforeEach
    void start() throws IOException
    {
        server = new HttpTrackerServer(TrackerConfig.withInterval(120), List.of(
            new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("::1", 0))).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        if (stub != null)
        {
            stub.stop(0);
        }
    }

    private static byte[] peerId(final char c)
    {
        final byte[] id = new byte[20];
        Arrays.fill(id, (byte)c);
        return id;
    }

    private URI v4()
    {
        return URI.create("http://127.0.0.1:" + server.port() + "/announce");
    }

    private URI v6()
    {
        return URI.create("http://[::1]:" + server.port() + "/announce");
    }

    @Test
    void announceReturnsIntervalsCountsAndIpv4AndIpv6Peers() throws Exception
    {
        final AnnounceResponse first = client.announce(v4(),
            AnnounceParams.of(HASH, peerId('a'), 6881, 100, AnnounceEvent.STARTED));
        assertEquals(120, first.intervalSeconds());
        assertEquals(60, first.minIntervalSeconds());
        assertEquals(0, first.complete());
        assertEquals(1, first.incomplete());
        assertTrue(first.peers().isEmpty());
        assertNull(first.warningMessage());

        client.announce(v6(), AnnounceParams.of(HASH, peerId('b'), 6882, 0, AnnounceEvent.STARTED));
        final AnnounceResponse third = client.announce(v4(),
            AnnounceParams.of(HASH, peerId('c'), 6883, 100, AnnounceEvent.STARTED));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881), new InetSocketAddress("::1", 6882)),
            third.peers().stream().sorted((x, y) -> x.getAddress().getAddress().length -
                y.getAddress().getAddress().length).toList());
        assertEquals(1, third.complete());
        assertEquals(2, third.incomplete());
    }

    @Test
    void dictionaryPeerListIsParsed() throws Exception
    {
        client.announce(v4(), AnnounceParams.of(HASH, peerId('a'), 6881, 100, AnnounceEvent.STARTED));
        final AnnounceResponse r = client.announce(v6(), new AnnounceParams(HASH, peerId('b'), 6882, 1, 2, 100,
            AnnounceEvent.NONE, 10, false));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881)), r.peers());
    }

    @Test
    void scrapeSeveralSwarms() throws Exception
    {
        client.announce(v4(), AnnounceParams.of(HASH, peerId('a'), 6881, 0, AnnounceEvent.COMPLETED));
        final List<ScrapeEntry> entries = client.scrape(v6(), List.of(HASH, OTHER_HASH));
        assertEquals(2, entries.size());
        assertArrayEquals(OTHER_HASH, entries.get(0).infoHash(), "keys in byte order");
        assertEquals(0, entries.get(0).complete());
        assertArrayEquals(HASH, entries.get(1).infoHash());
        assertEquals(1, entries.get(1).complete());
        assertEquals(0, entries.get(1).incomplete());
        assertEquals(1, entries.get(1).downloaded());
    }

    @Test
    void failureReasonIsThrown() throws Exception
    {
        server.close();
        server = new HttpTrackerServer(TrackerConfig.withInterval(120).whitelist(Whitelist.of(List.of(OTHER_HASH))),
            List.of(new InetSocketAddress("127.0.0.1", 0))).start();
        final TrackerFailureException e = assertThrows(TrackerFailureException.class, () -> client.announce(v4(),
            AnnounceParams.of(HASH, peerId('a'), 6881, 0, AnnounceEvent.STARTED)));
        assertEquals("unregistered info_hash: not on this tracker's whitelist", e.reason());
    }

    private URI stub(final int status, final String body) throws IOException
    {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", exchange ->
        {
            final byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(bytes);
            }
        });
        stub.start();
        return URI.create("http://127.0.0.1:" + stub.getAddress().getPort() + "/x/announce.php?passkey=k");
    }

    @Test
    void warningMessageHostNamesAndPeers6FromAnotherTracker() throws Exception
    {
        final String v6peer = "\u0020\u0001" + "\u0000".repeat(13) + "\u0005" + "\u001a\u00e1";
        final URI url = stub(200, "d8:intervali900e5:peersld2:ip16:peer.example.org4:porti51413eed2:ip7:1.2.3.4" +
            "4:porti80eee6:peers618:" + v6peer + "15:warning message9:slow downe");
        final AnnounceResponse r = client.announce(url,
            AnnounceParams.of(HASH, peerId('a'), 6881, 0, AnnounceEvent.NONE));
        assertEquals(900, r.intervalSeconds());
        assertEquals(-1, r.minIntervalSeconds());
        assertEquals(-1, r.complete());
        assertEquals("slow down", r.warningMessage());
        assertEquals(3, r.peers().size());
        assertEquals(InetSocketAddress.createUnresolved("peer.example.org", 51413), r.peers().get(0));
        assertEquals(new InetSocketAddress("1.2.3.4", 80), r.peers().get(1));
        assertEquals(new InetSocketAddress("2001::5", 6881), r.peers().get(2));
    }

    @Test
    void malformedRepliesAndHttpErrorsAreIoExceptions() throws Exception
    {
        final URI bad = stub(200, "d8:intervali900e5:peers5:abcdee");
        final IOException e = assertThrows(IOException.class, () -> client.announce(bad,
            AnnounceParams.of(HASH, peerId('a'), 6881, 0, AnnounceEvent.NONE)));
        assertTrue(e.getMessage().contains("not a multiple of 6"), e.getMessage());
        stub.stop(0);
        final URI notFound = stub(404, "nope");
        final IOException http = assertThrows(IOException.class, () -> client.announce(notFound,
            AnnounceParams.of(HASH, peerId('a'), 6881, 0, AnnounceEvent.NONE)));
        assertTrue(http.getMessage().endsWith("replied HTTP 404"), http.getMessage());
    }

    @Test
    void anOversizedReplyIsRefusedNamingTheLimit() throws Exception
    {
        // a hostile or broken tracker streaming a huge body must not fill the heap
        final URI url = stub(200, "d8:intervali60e5:peers" + (TrackerClient.MAX_REPLY_BYTES + 10) + ":" +
            "x".repeat(TrackerClient.MAX_REPLY_BYTES + 10) + "e");
        final IOException ex = assertThrows(IOException.class, () -> client.announce(url,
            AnnounceParams.of(HASH, peerId('a'), 6881, 0, AnnounceEvent.NONE)));
        assertTrue(ex.getMessage().contains("exceeds " + TrackerClient.MAX_REPLY_BYTES + " bytes"), ex.getMessage());
    }

    @Test
    void aReplyDrippingPastTheTimeoutIsRefused() throws Exception
    {
        // a tracker that sends headers, then one byte every 50 ms: the announce must end at its timeout, not hang
        try (java.net.ServerSocket dripping = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress()))
        {
            final Thread server = new Thread(() ->
            {
                try (java.net.Socket s = dripping.accept())
                {
                    s.getInputStream().read(new byte[4096]);
                    final OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 200; i++)
                    {
                        out.write('d');
                        out.flush();
                        Thread.sleep(50);
                    }
                }
                catch (final IOException | InterruptedException ignored)
                {
                    // the client gave up and closed the connection
                }
            });
            server.setDaemon(true);
            server.start();
            final TrackerClient impatient = new TrackerClient(java.time.Duration.ofMillis(500));
            final long start = System.nanoTime();
            final IOException ex = assertThrows(IOException.class, () -> impatient.announce(
                URI.create("http://127.0.0.1:" + dripping.getLocalPort() + "/announce"),
                AnnounceParams.of(HASH, peerId('a'), 6881, 0, AnnounceEvent.NONE)));
            assertTrue(ex.getMessage().contains("after the timeout"), ex.getMessage());
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "gave up within a few seconds");
        }
    }

    @Test
    void scrapeUrlFollowsBep48()
    {
        assertEquals(URI.create("http://t/scrape"), TrackerClient.scrapeUrl(URI.create("http://t/announce")));
        assertEquals(URI.create("http://t/x/scrape.php?passkey=k"),
            TrackerClient.scrapeUrl(URI.create("http://t/x/announce.php?passkey=k")));
        assertThrows(IllegalArgumentException.class, () -> TrackerClient.scrapeUrl(URI.create("http://t/a")));
    }
}
