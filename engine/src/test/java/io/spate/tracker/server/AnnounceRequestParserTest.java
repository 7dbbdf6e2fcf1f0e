package io.spate.tracker.server;

import io.spate.tracker.AnnounceEvent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnnounceRequestParserTest
{
    /** 20 bytes covering escapes, unreserved characters and high bytes. */
    static final String HASH_ENCODED = "%00%01%FFab%2B%20~-._%7f%80%9A%9a%25%26%3DZ9";
    static final byte[] HASH_BYTES = {0, 1, (byte)0xFF, 'a', 'b', '+', ' ', '~', '-', '.', '_', 0x7F, (byte)0x80,
        (byte)0x9A, (byte)0x9A, '%', '&', '=', 'Z', '9'};
    static final String PEER = "-SP0001-abcdefghijkl";
    static final String BASE = "info_hash=" + HASH_ENCODED + "&peer_id=" + PEER +
        "&port=6881&uploaded=1&downloaded=2&left=3";

    private final AnnounceRequestParser parser = new AnnounceRequestParser(false);
    private final AnnounceRequest request = new AnnounceRequest();

    private String parse(final String query)
    {
        final String target = "/announce?" + query;
        return parser.parseAnnounce(target, 10, request);
    }

    /** Replaces or appends one parameter of the base query. */
    private static String with(final String name, final String value)
    {
        final StringBuilder sb = new StringBuilder();
        boolean replaced = false;
        for (final String pair : BASE.split("&"))
        {
            if (pair.startsWith(name + "="))
            {
                if (value != null)
                {
                    sb.append('&').append(name).append('=').append(value);
                }
                replaced = true;
            }
            else
            {
                sb.append('&').append(pair);
            }
        }
        if (!replaced && value != null)
        {
            sb.append('&').append(name).append('=').append(value);
        }
        return sb.substring(1);
    }

    @Nested
    class Valid
    {
        @Test
        void fullAnnounceDecodesToRawBytesAndDefaults()
        {
            assertNull(parse(BASE));
            assertArrayEquals(HASH_BYTES, request.infoHash());
            assertArrayEquals(PEER.getBytes(StandardCharsets.US_ASCII), request.peerId());
            assertEquals(6881, request.port());
            assertEquals(1, request.uploaded());
            assertEquals(2, request.downloaded());
            assertEquals(3, request.left());
            assertEquals(AnnounceEvent.NONE, request.event());
            assertEquals(50, request.numWant());
            assertTrue(request.compact());
            assertFalse(request.noPeerId());
            assertFalse(request.hasIp());
        }

        @ParameterizedTest
        @CsvSource({"started,STARTED", "completed,COMPLETED", "stopped,STOPPED", "empty,NONE", "'',NONE"})
        void events(final String value, final AnnounceEvent expected)
        {
            assertNull(parse(with("event", value)));
            assertEquals(expected, request.event());
        }

        @ParameterizedTest
        @CsvSource({"0,0", "1,1", "200,200", "201,200", "99999999999,200"})
        void numWantIsCappedAt200(final String value, final int expected)
        {
            assertNull(parse(with("numwant", value)));
            assertEquals(expected, request.numWant());
        }

        @Test
        void portBounds()
        {
            assertNull(parse(with("port", "1")));
            assertEquals(1, request.port());
            assertNull(parse(with("port", "65535")));
            assertEquals(65535, request.port());
        }

        @Test
        void largestCountsFit()
        {
            assertNull(parse(with("left", "9223372036854775807")));
            assertEquals(Long.MAX_VALUE, request.left());
        }

        @Test
        void compactAndNoPeerIdFlags()
        {
            assertNull(parse(BASE + "&compact=0&no_peer_id=1"));
            assertFalse(request.compact());
            assertTrue(request.noPeerId());
        }

        @Test
        void unknownParametersAndParameterOrderDoNotMatter()
        {
            assertNull(parse("key=abc&left=3&corrupt=0&downloaded=2&uploaded=1&port=6881&peer_id=" + PEER +
                "&supportcrypto=1&info_hash=" + HASH_ENCODED + "&trackerid=&&x"));
            assertArrayEquals(HASH_BYTES, request.infoHash());
        }

        @Test
        void ipIsIgnoredUnlessTrusted()
        {
            assertNull(parse(with("ip", "not-an-address")));
            assertFalse(request.hasIp());
            final AnnounceRequestParser trusting = new AnnounceRequestParser(true);
            assertNull(trusting.parseAnnounce(with("ip", "192.0.2.7"), 0, request));
            assertTrue(request.hasIp());
            assertArrayEquals(new byte[] {(byte)192, 0, 2, 7}, PeerAddress.toBytes(request.ipHi(), request.ipLo()));
            assertNull(trusting.parseAnnounce(with("ip", "2001%3Adb8%3A%3A1"), 0, request));
            assertEquals(0x20010db800000000L, request.ipHi());
            assertEquals(1L, request.ipLo());
        }
    }

    @Nested
    class Invalid
    {
        @ParameterizedTest
        @CsvSource({
            "info_hash,'',invalid info_hash: must be 20 bytes",
            "info_hash,aaaaaaaaaaaaaaaaaaa,invalid info_hash: must be 20 bytes",
            "info_hash,aaaaaaaaaaaaaaaaaaaaa,invalid info_hash: must be 20 bytes",
            "info_hash,%zzaaaaaaaaaaaaaaaaaaa,invalid info_hash: malformed percent-encoding",
            "info_hash,aaaaaaaaaaaaaaaaaaa%4,invalid info_hash: malformed percent-encoding",
            "info_hash,aaaaaaaaaaaaaaaaaaa%,invalid info_hash: malformed percent-encoding",
            "peer_id,short,invalid peer_id: must be 20 bytes",
            "peer_id,%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41,invalid peer_id: must be 20 bytes",
            "port,0,invalid port: must be an integer from 1 to 65535",
            "port,65536,invalid port: must be an integer from 1 to 65535",
            "port,-1,invalid port: must be an integer from 1 to 65535",
            "port,'',invalid port: must be an integer from 1 to 65535",
            "port,80x,invalid port: must be an integer from 1 to 65535",
            "uploaded,-1,invalid uploaded: must be a non-negative integer",
            "uploaded,1.5,invalid uploaded: must be a non-negative integer",
            "downloaded,x,invalid downloaded: must be a non-negative integer",
            "left,9223372036854775808,invalid left: must be a non-negative integer",
            "left,'',invalid left: must be a non-negative integer",
            "event,paused,'invalid event: must be started, completed, stopped or empty'",
            "event,Started,'invalid event: must be started, completed, stopped or empty'",
            "numwant,-1,invalid numwant: must be a non-negative integer",
            "numwant,lots,invalid numwant: must be a non-negative integer",
            "compact,2,invalid compact: must be 0 or 1",
            "compact,yes,invalid compact: must be 0 or 1",
            "no_peer_id,true,invalid no_peer_id: must be 0 or 1",
        })
        void badValueNamesTheParameter(final String name, final String value, final String reason)
        {
            assertEquals(reason, parse(with(name, value)));
        }

        @ParameterizedTest
        @CsvSource({"info_hash", "peer_id", "port", "uploaded", "downloaded", "left"})
        void missingRequiredParameter(final String name)
        {
            assertEquals("missing parameter " + name, parse(with(name, null)));
        }

        @Test
        void emptyQueryNamesTheFirstMissing()
        {
            assertEquals("missing parameter info_hash", parser.parseAnnounce("/announce", 9, request));
        }

        @ParameterizedTest
        @CsvSource({"info_hash," + HASH_ENCODED, "port,1", "event,started", "numwant,5"})
        void duplicateParameter(final String name, final String value)
        {
            assertEquals("duplicate parameter " + name, parse(BASE + "&" + name + "=" + value + "&" + name + "=" +
                value));
        }

        @Test
        void nonAsciiCharacterIsMalformed()
        {
            assertEquals("invalid peer_id: malformed percent-encoding", parse(with("peer_id",
                "-SP0001-abcdefghijk\u00e9")));
        }

        @Test
        void trustedIpMustBeALiteral()
        {
            final AnnounceRequestParser trusting = new AnnounceRequestParser(true);
            assertEquals("invalid ip: must be an IPv4 or IPv6 address",
                trusting.parseAnnounce(with("ip", "example.com"), 0, request));
            assertEquals("invalid ip: must be an IPv4 or IPv6 address",
                trusting.parseAnnounce(with("ip", "1.2.3.256"), 0, request));
        }
    }

    @Nested
    class Scrape
    {
        private final ScrapeRequest scrape = new ScrapeRequest();

        @Test
        void severalInfoHashes()
        {
            assertNull(parser.parseScrape("/scrape?info_hash=" + HASH_ENCODED + "&x=1&info_hash=" +
                "bbbbbbbbbbbbbbbbbbbb", 8, scrape));
            assertEquals(2, scrape.count());
            assertArrayEquals(HASH_BYTES, java.util.Arrays.copyOfRange(scrape.infoHashes(), 0, 20));
            assertArrayEquals("bbbbbbbbbbbbbbbbbbbb".getBytes(StandardCharsets.US_ASCII),
                java.util.Arrays.copyOfRange(scrape.infoHashes(), 20, 40));
        }

        @Test
        void invalidScrapes()
        {
            assertEquals("missing parameter info_hash", parser.parseScrape("/scrape", 7, scrape));
            assertEquals("invalid info_hash: must be 20 bytes", parser.parseScrape("info_hash=abc", 0, scrape));
            assertEquals("invalid info_hash: malformed percent-encoding",
                parser.parseScrape("info_hash=%G0aaaaaaaaaaaaaaaaaaa", 0, scrape));
            final StringBuilder many = new StringBuilder();
            for (int i = 0; i <= ScrapeRequest.MAX_INFO_HASHES; i++)
            {
                many.append("&info_hash=aaaaaaaaaaaaaaaaaaaa");
            }
            assertEquals("too many info_hash: at most 64 per scrape", parser.parseScrape(many, 1, scrape));
        }
    }
}
