package io.spate.metainfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.spate.metainfo.Torrents.encode;
import static io.spate.metainfo.Torrents.file;
import static io.spate.metainfo.Torrents.info;
import static io.spate.metainfo.Torrents.map;
import static io.spate.metainfo.Torrents.pieces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile torrents: each one a {@link MetainfoException} whose message names the field, nothing else escapes. */
class MetainfoHostileTest
{
    @Test
    void dotDotPathElement()
    {
        assertRejected(withFile(2, file(5_000, "..", "etc", "passwd")),
            "info.files[2].path[0]: path element '..' is not allowed");
        assertRejected(withFile(1, file(20_000, "disc 1", ".")),
            "info.files[1].path[1]: path element '.' is not allowed");
    }

    @Test
    void absolutePath()
    {
        assertRejected(withFile(1, file(20_000, "/etc", "passwd")),
            "info.files[1].path[0]: path element contains '/': '/etc'");
        assertRejected(withFile(1, file(20_000, "C:\\Windows")),
            "info.files[1].path[0]: path element contains '\\': 'C:\\Windows'");
        final Map<String, Object> single = single();
        info(single).put("name", "/etc/passwd");
        assertRejected(single, "info.name: path element contains '/': '/etc/passwd'");
    }

    @Test
    void emptyOrNulPathElement()
    {
        assertRejected(withFile(1, file(20_000, "disc 1", "")), "info.files[1].path[1]: empty path element");
        assertRejected(withFile(1, file(20_000, "a\0b")), "info.files[1].path[0]: path element contains NUL: 'a\\0b'");
        assertRejected(withFile(1, file(20_000)), "info.files[1].path: is empty");
    }

    @Test
    void duplicatePaths()
    {
        assertRejected(withFile(3, file(15_000, "disc 1", "01.flac")),
            "info.files[3].path: duplicate path 'disc 1/01.flac'");
        assertRejected(withFile(3, file(15_000, "disc 1", "01.flac", "inside")),
            "info.files[3].path: 'disc 1/01.flac/inside' lies under the file 'disc 1/01.flac'");
        assertRejected(withFile(3, file(15_000, "disc 1")), "info.files[3].path: duplicate path 'disc 1'");
    }

    @Test
    void wrongPiecesLength()
    {
        final Map<String, Object> t = Torrents.multiFile();
        info(t).put("pieces", pieces(2));
        assertRejected(t, "info.pieces: length 40 but 3 pieces of 16384 bytes over 40000 bytes need 60");
        info(t).put("pieces", Arrays.copyOf(pieces(3), 59));
        assertRejected(t, "info.pieces: length 59 but 3 pieces of 16384 bytes over 40000 bytes need 60");
    }

    @Test
    void pieceLengthZeroOrNegativeOrHuge()
    {
        final Map<String, Object> t = Torrents.multiFile();
        info(t).put("piece length", 0);
        assertRejected(t, "info.piece length: must be positive, got 0");
        info(t).put("piece length", -16384);
        assertRejected(t, "info.piece length: must be positive, got -16384");
        info(t).put("piece length", 1L << 40);
        assertRejected(t, "info.piece length: 1099511627776 exceeds the limit of 268435456");
    }

    @Test
    void negativeLength()
    {
        assertRejected(withFile(4, file(-5_000, "readme.txt")),
            "info.files[4].length: must not be negative, got -5000");
        final Map<String, Object> single = single();
        info(single).put("length", -1);
        assertRejected(single, "info.length: must not be negative, got -1");
    }

    @Test
    void totalLengthOverflow()
    {
        final Map<String, Object> t = withFile(4, file(Long.MAX_VALUE, "readme.txt"));
        assertRejected(t, "info.files[4].length: total length overflows");
    }

    @Test
    void missingOrMistypedFields()
    {
        final Map<String, Object> t = Torrents.multiFile();
        info(t).remove("name");
        assertRejected(t, "info: missing 'name'");
        final Map<String, Object> noInfo = Torrents.multiFile();
        noInfo.remove("info");
        assertRejected(noInfo, "torrent: missing 'info'");
        final Map<String, Object> noPieces = Torrents.multiFile();
        info(noPieces).remove("pieces");
        assertRejected(noPieces, "info: missing 'pieces'");
        final Map<String, Object> both = Torrents.multiFile();
        info(both).put("length", 5);
        assertRejected(both, "info: has both 'length' and 'files'");
        final Map<String, Object> neither = Torrents.multiFile();
        info(neither).remove("files");
        assertRejected(neither, "info: neither 'length' nor 'files' is present");
        final Map<String, Object> typed = Torrents.multiFile();
        info(typed).put("piece length", "16384");
        assertRejected(typed, "info.piece length: expected an integer, found a string");
        final Map<String, Object> list = Torrents.multiFile();
        list.put("announce-list", List.of("http://a"));
        assertRejected(list, "announce-list[0]: expected a list, found a string");
        assertEquals("torrent: expected a dictionary, found a list",
            assertThrows(MetainfoException.class, () -> Metainfo.parse(encode(List.of()))).getMessage());
        final Map<String, Object> priv = Torrents.multiFile();
        info(priv).put("private", 2);
        assertRejected(priv, "info.private: must be 0 or 1, got 2");
    }

    @Test
    void noData()
    {
        final Map<String, Object> t = Torrents.multiFile();
        info(t).put("files", List.of(file(0, "a"), file(0, "b")));
        info(t).put("pieces", new byte[0]);
        assertRejected(t, "info: the torrent holds no data (total length 0)");
    }

    @Test
    @Timeout(5)
    void hundredMegabyteStringPrefixInOneKilobyteFile()
    {
        final byte[] torrent = new byte[1024];
        Arrays.fill(torrent, (byte)'x');
        final byte[] head = "d8:announce100000000:".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, torrent, 0, head.length);
        final MetainfoException ex = assertThrows(MetainfoException.class, () -> Metainfo.parse(torrent));
        assertEquals("not valid bencode: offset 11: string length 100000000 exceeds the limit of " +
            Metainfo.MAX_TORRENT_FILE_BYTES, ex.getMessage());
    }

    @Test
    @Timeout(5)
    void nestingHundredThousandDeep()
    {
        final StringBuilder sb = new StringBuilder("d8:announce");
        sb.append("l".repeat(100_000)).append("e".repeat(100_000)).append('e');
        final MetainfoException ex = assertThrows(MetainfoException.class,
            () -> Metainfo.parse(sb.toString().getBytes(StandardCharsets.US_ASCII)));
        assertEquals("not valid bencode: offset 110: nesting deeper than 100 levels", ex.getMessage());
    }

    @Test
    @Timeout(10)
    void millionsOfTinyValuesFailBeforeMemoryBlowsUp()
    {
        final int count = 4_000_000; // "le" each: an 8 MB file of empty lists
        final byte[] torrent = new byte[2 + 2 * count];
        torrent[0] = 'l';
        for (int i = 0; i < count; i++)
        {
            torrent[1 + 2 * i] = 'l';
            torrent[2 + 2 * i] = 'e';
        }
        torrent[torrent.length - 1] = 'e';
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        final MetainfoException ex = assertThrows(MetainfoException.class, () -> Metainfo.parse(torrent));
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals("not valid bencode: offset " + (1 + 2 * (MetainfoParser.MAX_VALUES - 1)) + ": more than " +
            MetainfoParser.MAX_VALUES + " values", ex.getMessage());
        assertTrue(allocated < 250L << 20, "allocated " + (allocated >> 20) + " MB");
    }

    @Test
    void trailingGarbage()
    {
        final byte[] valid = encode(Torrents.multiFile());
        final byte[] torrent = Arrays.copyOf(valid, valid.length + 7);
        System.arraycopy("garbage".getBytes(StandardCharsets.US_ASCII), 0, torrent, valid.length, 7);
        final MetainfoException ex = assertThrows(MetainfoException.class, () -> Metainfo.parse(torrent));
        assertEquals("not valid bencode: offset " + valid.length +
            ": trailing data after the top-level value (7 bytes)", ex.getMessage());
    }

    @Test
    void loadNamesTheFile(@TempDir final Path dir) throws Exception
    {
        final Path path = dir.resolve("bad.torrent");
        Files.write(path, encode(withFile(2, file(5_000, "..", "x"))));
        final MetainfoException ex = assertThrows(MetainfoException.class, () -> Metainfo.load(path));
        assertEquals(path + ": info.files[2].path[0]: path element '..' is not allowed", ex.getMessage());
    }

    @Test
    void loadRefusesAHugeFileBeforeReadingIt(@TempDir final Path dir) throws Exception
    {
        final Path path = dir.resolve("huge.torrent");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(path.toFile(), "rw"))
        {
            f.setLength(Metainfo.MAX_TORRENT_FILE_BYTES + 1); // sparse: costs no disk
        }
        final MetainfoException ex = assertThrows(MetainfoException.class, () -> Metainfo.load(path));
        assertTrue(ex.getMessage().startsWith(path + ": 67108865 bytes is too large"), ex.getMessage());
    }

    private static Map<String, Object> single()
    {
        return map("info", map("name", "x", "length", 40_000, "piece length", 16384, "pieces", pieces(3)));
    }

    /** The multi-file fixture with file {@code index} replaced. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withFile(final int index, final Map<String, Object> file)
    {
        final Map<String, Object> t = Torrents.multiFile();
        ((List<Object>)info(t).get("files")).set(index, file);
        return t;
    }

    private static void assertRejected(final Map<String, Object> torrent, final String message)
    {
        final byte[] bytes = encode(torrent);
        final MetainfoException ex = assertThrows(MetainfoException.class, () -> Metainfo.parse(bytes));
        assertEquals(message, ex.getMessage());
    }
}
