package io.spate.metainfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.spate.metainfo.Torrents.encode;
import static io.spate.metainfo.Torrents.file;
import static io.spate.metainfo.Torrents.info;
import static io.spate.metainfo.Torrents.map;
import static io.spate.metainfo.Torrents.pieces;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Valid torrents: every field read back, the info-hash taken over the raw info bytes. */
class MetainfoValidTest
{
    @Test
    void singleFile()
    {
        final byte[] torrent = encode(map(
            "announce", "http://tracker.example/announce",
            "comment", "a comment",
            "created by", "test",
            "info", map("name", "movie.mkv", "length", 40_000, "piece length", 16384, "pieces", pieces(3),
                "private", 1)));
        final Metainfo m = Metainfo.parse(torrent);
        assertEquals("movie.mkv", m.name());
        assertTrue(m.isSingleFile());
        assertEquals(40_000, m.totalLength());
        assertEquals(16384, m.pieceLength());
        assertEquals(3, m.pieceCount());
        assertEquals(16384, m.pieceSize(0));
        assertEquals(40_000 - 2 * 16384, m.lastPieceLength());
        assertEquals(List.of(new FileEntry(List.of("movie.mkv"), 40_000, 0, false)), m.files());
        assertEquals(List.of(List.of("http://tracker.example/announce")), m.trackerTiers());
        assertTrue(m.isPrivate());
        assertEquals("a comment", m.comment());
        assertEquals("test", m.createdBy());
        final byte[] digest = new byte[20];
        m.pieceHash(2, digest, 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(pieces(3), 40, 60), digest);
        assertTrue(m.pieceHashMatches(2, digest, 0));
        assertFalse(m.pieceHashMatches(1, digest, 0));
    }

    @Test
    void multiFileWithNestedFoldersAndZeroByteFiles()
    {
        final Metainfo m = Metainfo.parse(encode(Torrents.multiFile()));
        assertFalse(m.isSingleFile());
        assertEquals("album", m.name());
        assertEquals(40_000, m.totalLength());
        assertEquals(3, m.pieceCount());
        assertEquals(List.of(
            new FileEntry(List.of("empty-first"), 0, 0, false),
            new FileEntry(List.of("disc 1", "01.flac"), 20_000, 0, false),
            new FileEntry(List.of("disc 1", "nested", "deeper", "zero.txt"), 0, 20_000, false),
            new FileEntry(List.of("disc 2", "01.flac"), 15_000, 20_000, false),
            new FileEntry(List.of("readme.txt"), 5_000, 35_000, false)), m.files());
        assertEquals("disc 1/nested/deeper/zero.txt", m.files().get(2).displayPath());
        assertFalse(m.isPrivate());
        assertNull(m.comment());
    }

    @Test
    void infoHashIsOverTheRawInfoBytesIncludingUnknownKeys()
    {
        final Map<String, Object> torrent = Torrents.multiFile();
        info(torrent).put("x-unknown", map("zz", List.of(1, 2, 3)));
        final byte[] bytes = encode(torrent);
        final Metainfo m = Metainfo.parse(bytes);
        final byte[] rawInfo = encode(info(torrent));
        assertArrayEquals(rawInfo, m.rawInfo());
        assertArrayEquals(InfoHash.sha1(rawInfo, 0, rawInfo.length), m.infoHash());
        final String text = Torrents.ascii(bytes);
        final int start = text.indexOf("4:infod") + 6;
        assertArrayEquals(InfoHash.sha1(bytes, start, rawInfo.length), m.infoHash());
        assertEquals(InfoHash.hex(m.infoHash()), m.infoHashHex());
    }

    @Test
    void announceListWinsOverAnnounceAndEmptyTiersAreDropped()
    {
        final Map<String, Object> torrent = Torrents.multiFile();
        torrent.put("announce-list", List.of(List.of("http://a/1", "http://a/2"), List.of(), List.of("udp://b:1")));
        final Metainfo m = Metainfo.parse(encode(torrent));
        assertEquals(List.of(List.of("http://a/1", "http://a/2"), List.of("udp://b:1")), m.trackerTiers());
        assertEquals(List.of("http://a/1", "http://a/2", "udp://b:1"), m.trackers());
    }

    @Test
    void urlListIsKept()
    {
        final Map<String, Object> torrent = Torrents.multiFile();
        torrent.put("url-list", List.of("http://seed/1", "http://seed/2"));
        assertEquals(List.of("http://seed/1", "http://seed/2"), Metainfo.parse(encode(torrent)).urlList());
    }

    @Test
    void paddingFilesAreInTheStreamButMayRepeat()
    {
        final Map<String, Object> torrent = Torrents.multiFile();
        @SuppressWarnings("unchecked")
        final List<Object> files = (List<Object>)info(torrent).get("files");
        final Map<String, Object> pad = file(0, ".pad", "0");
        pad.put("attr", "p");
        files.add(1, pad);
        files.add(3, new java.util.LinkedHashMap<>(pad));
        final Metainfo m = Metainfo.parse(encode(torrent));
        assertTrue(m.files().get(1).padding());
        assertTrue(m.files().get(3).padding());
    }

    @Test
    void loadReadsAFile(@TempDir final Path dir) throws Exception
    {
        final Path path = dir.resolve("ok.torrent");
        Files.write(path, encode(Torrents.multiFile()));
        assertEquals("album", Metainfo.load(path).name());
    }
}
