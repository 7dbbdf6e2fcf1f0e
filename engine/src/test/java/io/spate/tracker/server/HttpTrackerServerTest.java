package io.spate.tracker.server;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real tracker on 127.0.0.1 and ::1, spoken to over HTTP. */
@Timeout(60)
class HttpTrackerServerTest
{
    static final String HASH = "%AA%BB%CCinfohash01234567%FF";
    static final byte[] HASH_BYTES = concat(new byte[] {(byte)0xAA, (byte)0xBB, (byte)0xCC},
        "infohash01234567".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte)0xFF});
    static final int INTERVAL = 60;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private HttpTrackerServer server;

    @BeforeEach
    void start() throws IOException
    {
        server = start(TrackerConfig.withInterval(INTERVAL));
    }

    private HttpTrackerServer start(final TrackerConfig config) throws IOException
    {
        return new HttpTrackerServer(config, List.of(new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("::1", 0)), now::get).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts)
        {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String announceQuery(final String peerId, final int port, final long left, final String extra)
    {
        return "/announce?info_hash=" + HASH + "&peer_id=" + peerId + "&port=" + port +
            "&uploaded=0&downloaded=0&left=" + left + extra;
    }

    private String v4()
    {
        return "http://127.0.0.1:" + server.port();
    }

    private String v6()
    {
        return "http://[::1]:" + server.port();
    }

    private HttpResponse<byte[]> get(final String url) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(final HttpResponse<byte[]> response)
    {
        return new String(response.body(), StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String portBytes(final int port)
    {
        return new String(new byte[] {(byte)(port >> 8), (byte)port}, StandardCharsets.ISO_8859_1);
    }

    @Test
    void bindsBothFamiliesOnOneEphemeralPort()
    {
        final List<InetSocketAddress> bound = server.boundAddresses();
        assertEquals(2, bound.size());
        assertTrue(server.port() > 0);
        assertEquals(server.port(), bound.get(1).getPort());
        assertTrue(bound.get(1).getAddress() instanceof java.net.Inet6Address);
        assertTrue(server.isEpoll(), "native epoll transport expected on Linux");
    }

    @Test
    void announceOverIpv4AndIpv6GivesCompactPeersAndPeers6() throws Exception
    {
        final HttpResponse<byte[]> first = get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, ""));
        assertEquals(200, first.statusCode());
        assertEquals("d8:completei0e10:incompletei1e8:intervali60e12:min intervali30e5:peers0:e", text(first));

        final HttpResponse<byte[]> second = get(v6() + announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 0,
            "&event=started"));
        final String ipv4Peer = "\u007f\u0000\u0000\u0001" + portBytes(6881);
        assertEquals("d8:completei1e10:incompletei1e8:intervali60e12:min intervali30e5:peers6:" + ipv4Peer + "e",
            text(second));

        final HttpResponse<byte[]> third = get(v4() + announceQuery("-SP0001-cccccccccccc", 6883, 10, ""));
        final String ipv6Peer = "\u0000".repeat(15) + "\u0001" + portBytes(6882);
        assertEquals("d8:completei1e10:incompletei2e8:intervali60e12:min intervali30e5:peers6:" + ipv4Peer +
            "6:peers618:" + ipv6Peer + "e", text(third));
        assertEquals("text/plain", third.headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void dictionaryFormWithAndWithoutPeerIds() throws Exception
    {
        get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, ""));
        final HttpResponse<byte[]> dict = get(v6() + announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 10, "&compact=0"));
        assertEquals("d8:completei0e10:incompletei2e8:intervali60e12:min intervali30e5:peersld2:ip9:127.0.0.1" +
            "7:peer id20:-SP0001-aaaaaaaaaaaa4:porti6881eeee", text(dict));
        final HttpResponse<byte[]> noIds = get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10,
            "&compact=0&no_peer_id=1"));
        assertEquals("d8:completei0e10:incompletei2e8:intervali60e12:min intervali30e5:peersld2:ip3:::1" +
            "4:porti6882eeee", text(noIds));
    }

    @Test
    void badParameterGetsFailureReasonAndChangesNothing() throws Exception
    {
        final String[][] cases = {
            {announceQuery("-SP0001-aaaaaaaaaaaa", 0, 10, ""), "invalid port: must be an integer from 1 to 65535"},
            {announceQuery("short", 6881, 10, ""), "invalid peer_id: must be 20 bytes"},
            {announceQuery("-SP0001-aaaaaaaaaaaa", 6881, -5, ""), "invalid left: must be a non-negative integer"},
            {announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 5, "&event=paused"),
                "invalid event: must be started, completed, stopped or empty"},
            {"/announce?info_hash=abc&peer_id=-SP0001-aaaaaaaaaaaa&port=1&uploaded=0&downloaded=0&left=0",
                "invalid info_hash: must be 20 bytes"},
            {"/announce?peer_id=-SP0001-aaaaaaaaaaaa&port=1&uploaded=0&downloaded=0&left=0",
                "missing parameter info_hash"},
            {"/scrape", "missing parameter info_hash"},
        };
        for (final String[] c : cases)
        {
            for (final String base : new String[] {v4(), v6()})
            {
                final HttpResponse<byte[]> r = get(base + c[0]);
                assertEquals(200, r.statusCode());
                assertEquals("d14:failure reason" + c[1].length() + ":" + c[1] + "e", text(r), c[0]);
            }
        }
        assertEquals(0L, server.onRegistry(SwarmRegistry::peerCount));
        assertEquals(0, (int)server.onRegistry(SwarmRegistry::swarmCount));
    }

    @Test
    void scrapeSeveralInfoHashesInKeyOrder() throws Exception
    {
        get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, "&event=started"));
        get(v6() + announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 10, "&event=started"));
        get(v6() + announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 0, "&event=completed"));
        final HttpResponse<byte[]> r = get(v4() + "/scrape?info_hash=" + HASH + "&info_hash=00000000000000000000" +
            "&info_hash=" + HASH);
        final String hash = new String(HASH_BYTES, StandardCharsets.ISO_8859_1);
        assertEquals("d5:filesd20:00000000000000000000d8:completei0e10:downloadedi0e10:incompletei0ee" +
            "20:" + hash + "d8:completei1e10:downloadedi1e10:incompletei1eeee", text(r));
        final BValue decoded = BencodeDecoder.decode(r.body());
        assertTrue(decoded instanceof BValue.BDict, "strictly valid bencode");
    }

    @Test
    void stoppedRemovesPeerOverHttp() throws Exception
    {
        get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, ""));
        get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, "&event=stopped"));
        final HttpResponse<byte[]> r = get(v6() + announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 10, ""));
        assertTrue(text(r).endsWith("5:peers0:e"), text(r));
    }

    @Test
    void expiryFollowsTheInjectedClock() throws Exception
    {
        get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, ""));
        now.addAndGet(2_000L * INTERVAL);
        final HttpResponse<byte[]> r = get(v6() + announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 10, ""));
        assertEquals("d8:completei0e10:incompletei1e8:intervali60e12:min intervali30e5:peers0:e", text(r));
    }

    @Test
    void notFoundBadRequestAndMethodNotAllowed() throws Exception
    {
        assertEquals(404, get(v4() + "/").statusCode());
        assertEquals(404, get(v6() + "/announce/x").statusCode());
        assertEquals(404, get(v4() + "/announcex?info_hash=a").statusCode());
        final InetSocketAddress address = server.boundAddresses().get(0);
        try (RawHttp raw = new RawHttp(address))
        {
            assertEquals(400, raw.send("GARBAGE\r\n\r\n").read().status());
            assertTrue(raw.closedByServer(), "a malformed request line closes the connection");
        }
        try (RawHttp raw = new RawHttp(address))
        {
            assertEquals(400, raw.send("GET announce?x HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
        }
        try (RawHttp raw = new RawHttp(address))
        {
            assertEquals(505, raw.send("GET /announce HTTP/7.3\r\nHost: t\r\n\r\n").read().status());
        }
        try (RawHttp raw = new RawHttp(address))
        {
            assertEquals(400, raw.send("GET /announce FOO/1.1\r\nHost: t\r\n\r\n").read().status());
        }
        try (RawHttp raw = new RawHttp(address))
        {
            final RawHttp.Response r = raw.send("POST /announce HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n" +
                "abc").read();
            assertEquals(405, r.status());
        }
        try (RawHttp raw = new RawHttp(server.boundAddresses().get(1)))
        {
            final RawHttp.Response r = raw.send(RawHttp.get("http://tracker.example" +
                announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, ""))).read();
            assertEquals(200, r.status(), "absolute-form targets are accepted");
            assertTrue(r.text().startsWith("d8:complete"), r.text());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception
    {
        for (final InetSocketAddress address : server.boundAddresses())
        {
            try (RawHttp raw = new RawHttp(address))
            {
                raw.send(RawHttp.get(announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, "")) +
                    RawHttp.get("/nothing") +
                    RawHttp.get(announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 10, "&numwant=1")) +
                    RawHttp.get("/scrape?info_hash=" + HASH));
                final RawHttp.Response a = raw.read();
                final RawHttp.Response b = raw.read();
                final RawHttp.Response c = raw.read();
                final RawHttp.Response d = raw.read();
                assertEquals(200, a.status());
                assertEquals(404, b.status());
                assertTrue(c.text().contains("5:peers"), c.text());
                assertTrue(d.text().startsWith("d5:filesd20:"), d.text());
                assertEquals(200, raw.send(RawHttp.get("/scrape?info_hash=" + HASH)).read().status(),
                    "the connection stays open after pipelined requests");
            }
        }
    }

    @Test
    void keepAliveAndClose() throws Exception
    {
        final InetSocketAddress address = server.boundAddresses().get(0);
        try (RawHttp raw = new RawHttp(address))
        {
            final RawHttp.Response r = raw.send(RawHttp.get("/scrape?info_hash=" + HASH, "Connection: close")).read();
            assertEquals("close", r.headers().get("connection"));
            assertTrue(raw.closedByServer());
        }
        try (RawHttp raw = new RawHttp(address))
        {
            raw.send("GET /scrape?info_hash=" + HASH + " HTTP/1.0\r\n\r\n").read();
            assertTrue(raw.closedByServer(), "HTTP/1.0 without keep-alive closes");
        }
        try (RawHttp raw = new RawHttp(address))
        {
            final RawHttp.Response r = raw.send("GET /scrape?info_hash=" + HASH +
                " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", r.headers().get("connection"));
            assertEquals(404, raw.send("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().status(),
                "HTTP/1.0 keep-alive keeps the connection");
        }
    }

    @Test
    void ipParameterIsIgnoredUnlessTrusted() throws Exception
    {
        get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, "&ip=192.0.2.9"));
        HttpResponse<byte[]> r = get(v4() + announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 10, ""));
        assertTrue(text(r).endsWith("5:peers6:\u007f\u0000\u0000\u0001" + portBytes(6881) + "e"), text(r));
        server.close();

        server = start(TrackerConfig.withInterval(INTERVAL).trustIpParam(true));
        get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, "&ip=192.0.2.9"));
        r = get(v4() + announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 10, ""));
        assertTrue(text(r).endsWith("5:peers6:\u00c0\u0000\u0002\u0009" + portBytes(6881) + "e"), text(r));
        r = get(v4() + announceQuery("-SP0001-bbbbbbbbbbbb", 6882, 10, "&ip=nowhere.example"));
        assertEquals("d14:failure reason43:invalid ip: must be an IPv4 or IPv6 addresse", text(r));
    }

    @Test
    void whitelistRefusesOtherInfoHashes() throws Exception
    {
        server.close();
        server = start(TrackerConfig.withInterval(INTERVAL).whitelist(Whitelist.of(List.of(HASH_BYTES))));
        final HttpResponse<byte[]> ok = get(v4() + announceQuery("-SP0001-aaaaaaaaaaaa", 6881, 10, ""));
        assertTrue(text(ok).startsWith("d8:complete"), text(ok));
        final HttpResponse<byte[]> refused = get(v6() + "/announce?info_hash=bbbbbbbbbbbbbbbbbbbb" +
            "&peer_id=-SP0001-aaaaaaaaaaaa&port=1&uploaded=0&downloaded=0&left=0");
        assertEquals("d14:failure reason55:unregistered info_hash: not on this tracker's whitelist" + "e",
            text(refused));
        final HttpResponse<byte[]> scrape = get(v4() + "/scrape?info_hash=bbbbbbbbbbbbbbbbbbbb&info_hash=" + HASH);
        assertFalse(text(scrape).contains("bbbbbbbbbbbbbbbbbbbb"), "unlisted hashes are left out of a scrape");
        assertEquals(2L, server.onRegistry(SwarmRegistry::refusedNotWhitelisted), "one announce, one scrape entry");
    }
}
