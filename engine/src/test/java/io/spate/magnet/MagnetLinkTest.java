package io.spate.magnet;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BEP 9 magnet links: valid forms, then each kind of bad input named by its parameter. */
class MagnetLinkTest
{
    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    @Test
    void hexInfoHashWithNameTrackersAndPeers()
    {
        final MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + HEX.toUpperCase() +
            "&dn=Big%20Movie+2&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce&tr=udp://t.example:80" +
            "&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce&x.pe=127.0.0.1:6881&x.pe=%5B::1%5D:51413&ws=http://x/y");
        assertArrayEquals(HexFormat.of().parseHex(HEX), link.infoHash());
        assertEquals(HEX, link.infoHashHex());
        assertEquals("Big Movie 2", link.displayName());
        assertEquals(List.of(URI.create("http://127.0.0.1:6969/announce"), URI.create("udp://t.example:80")),
            link.trackers(), "duplicates dropped, order kept");
        assertEquals(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 6881),
            InetSocketAddress.createUnresolved("::1", 51413)), link.peers());
        assertEquals(List.of("http://x/y"), link.webSeeds());
    }

    @Test
    void webSeedsAreKeptInOrderWithoutDuplicatesAndBecomeTheResolvedTorrentsUrlList()
    {
        final MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + HEX +
            "&ws=https%3A%2F%2Fmirror.example%2Fdir%2F&ws=http://a.example/file%2520name.bin" +
            "&ws=https://mirror.example/dir/");
        assertEquals(List.of("https://mirror.example/dir/", "http://a.example/file%20name.bin"), link.webSeeds());

        // the .torrent made around fetched metadata carries them as BEP 19's url-list, info-hash untouched
        final byte[] info = "d6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaae".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);
        final io.spate.metainfo.Metainfo meta = io.spate.metainfo.Metainfo.parse(
            MagnetResolver.torrent(info, link.trackers(), link.webSeeds()));
        assertEquals(link.webSeeds(), meta.urlList());
        assertEquals(io.spate.metainfo.Metainfo.parse(MagnetResolver.torrent(info, List.of(), List.of()))
            .infoHashHex(), meta.infoHashHex());
        assertTrue(io.spate.metainfo.Metainfo.parse(MagnetResolver.torrent(info, List.of(), List.of()))
            .urlList().isEmpty());
    }

    @Test
    void base32InfoHashDecodesToTheSameBytes()
    {
        // RFC 4648 base32 of the 20 bytes above
        final String base32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";
        assertArrayEquals(HexFormat.of().parseHex(HEX), MagnetLink.parse("magnet:?xt=urn:btih:" + base32).infoHash());
        assertArrayEquals(HexFormat.of().parseHex(HEX),
            MagnetLink.parse("MAGNET:?xt=urn:btih:" + base32.toLowerCase()).infoHash());
    }

    @Test
    void onlyXtIsRequired()
    {
        final MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + HEX);
        assertNull(link.displayName());
        assertTrue(link.trackers().isEmpty());
        assertTrue(link.peers().isEmpty());
        assertTrue(MagnetLink.isMagnet("magnet:?xt=x"));
        assertFalse(MagnetLink.isMagnet("movie.torrent"));
    }

    @Test
    void writtenLinksParseBackToTheSameParts()
    {
        final MagnetLink link = new MagnetLink(HexFormat.of().parseHex(HEX), "Big Movie & more+1",
            List.of(URI.create("http://127.0.0.1:6969/announce?pk=a&b=c"), URI.create("udp://t.example:80")),
            List.of(InetSocketAddress.createUnresolved("::1", 51413)), List.of("https://m.example/a%20b/?x=1&y"));
        final String text = link.toUri();
        assertTrue(text.startsWith("magnet:?xt=urn:btih:" + HEX + "&dn=Big%20Movie%20%26%20more%2B1&tr=http%3A%2F%2F"),
            text);
        final MagnetLink back = MagnetLink.parse(text);
        assertArrayEquals(link.infoHash(), back.infoHash());
        assertEquals(link.displayName(), back.displayName());
        assertEquals(link.trackers(), back.trackers());
        assertEquals(link.peers(), back.peers());
        assertEquals(link.webSeeds(), back.webSeeds());
    }

    @Test
    void badLinksNameTheParameter()
    {
        assertError("not a magnet link", "http://example/x.torrent");
        assertError("xt: no urn:btih: info-hash", "magnet:?dn=x");
        assertError("xt: no urn:btih: info-hash", "magnet:?xt=urn:btmh:1220" + HEX);
        assertError("xt: info-hash must be 40 hex or 32 base32 characters, got 39", "magnet:?xt=urn:btih:" +
            HEX.substring(1));
        assertError("xt: info-hash is not 40 hex characters", "magnet:?xt=urn:btih:" + HEX.replace('c', 'g'));
        assertError("xt: info-hash is not base32 (bad character '1')",
            "magnet:?xt=urn:btih:1EX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK");
        assertError("xt: more than one urn:btih info-hash", "magnet:?xt=urn:btih:" + HEX + "&xt=urn:btih:" + HEX);
        assertError("tr: not a tracker URL: ftp://x", "magnet:?xt=urn:btih:" + HEX + "&tr=ftp://x");
        assertError("tr: not a URL", "magnet:?xt=urn:btih:" + HEX + "&tr=http://a b/");
        assertError("x.pe: must be HOST:PORT", "magnet:?xt=urn:btih:" + HEX + "&x.pe=127.0.0.1");
        assertError("x.pe: bad port", "magnet:?xt=urn:btih:" + HEX + "&x.pe=127.0.0.1:http");
        assertError("x.pe: port must be 1..65535", "magnet:?xt=urn:btih:" + HEX + "&x.pe=127.0.0.1:70000");
        assertError("x.pe: an IPv6 address must be in brackets", "magnet:?xt=urn:btih:" + HEX + "&x.pe=::1:80");
        assertError("dn: bad percent-encoding", "magnet:?xt=urn:btih:" + HEX + "&dn=%zz");
        assertError("ws: not an http(s) URL with a host: ftp://x/y", "magnet:?xt=urn:btih:" + HEX + "&ws=ftp://x/y");
        assertError("ws: not an http(s) URL with a host: http:///y", "magnet:?xt=urn:btih:" + HEX + "&ws=http:///y");
        assertError("ws: not a URL", "magnet:?xt=urn:btih:" + HEX + "&ws=http://a b/");
        assertError("ws: URL longer than 2048 bytes", "magnet:?xt=urn:btih:" + HEX + "&ws=http://x/" +
            "a".repeat(2048));
        final StringBuilder many = new StringBuilder("magnet:?xt=urn:btih:" + HEX);
        for (int i = 0; i <= 64; i++)
        {
            many.append("&ws=http://m").append(i).append(".example/");
        }
        assertError("ws: 65 web seeds exceed the limit of 64", many.toString());
    }

    private static void assertError(final String expected, final String link)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> MagnetLink.parse(link));
        assertTrue(ex.getMessage().startsWith(expected), () -> "'" + ex.getMessage() + "' should start with '" +
            expected + "'");
    }
}
