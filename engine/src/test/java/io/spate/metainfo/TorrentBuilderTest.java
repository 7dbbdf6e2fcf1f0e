package io.spate.metainfo;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TorrentBuilder: scans deterministically, hashes every piece right on any thread count, encodes what parses. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TorrentBuilderTest
{
    @TempDir
    Path tmp;

    @Test
    void singleFileHashesMatchAPlainSha1OfEachPiece() throws IOException
    {
        final byte[] data = SourceTrees.write(tmp.resolve("movie.mkv"), 10 * 16384 + 5, 7);
        final Metainfo m = Metainfo.parse(TorrentBuilder.of(tmp.resolve("movie.mkv")).pieceLength(16384)
            .tracker("http://127.0.0.1:6969/announce").build());
        assertTrue(m.isSingleFile());
        assertEquals("movie.mkv", m.name());
        assertEquals(data.length, m.totalLength());
        assertEquals(11, m.pieceCount());
        assertPiecesMatch(m, data);
        assertEquals(List.of(List.of("http://127.0.0.1:6969/announce")), m.trackerTiers());
        assertEquals(TorrentBuilder.CREATED_BY, m.createdBy());
        assertFalse(m.isPrivate());
    }

    @Test
    void directoryWithNestedFoldersAndZeroByteFiles() throws IOException
    {
        final Path root = tmp.resolve("album");
        final List<Object[]> files = SourceTrees.tree(root);
        final Metainfo m = Metainfo.parse(TorrentBuilder.of(root).pieceLength(16384).build());
        assertFalse(m.isSingleFile());
        assertEquals("album", m.name());
        final List<String> paths = new ArrayList<>();
        final List<Long> lengths = new ArrayList<>();
        m.files().forEach(f ->
        {
            paths.add(f.displayPath());
            lengths.add(f.length());
        });
        assertEquals(List.of("a-zero", "b/c/d/big.bin", "b/c/small", "b/empty", "b/zz/empty-too", "z.txt"), paths);
        assertEquals(List.of(0L, (3L << 20) + 77, 1000L, 0L, 0L, 70_000L), lengths);
        assertPiecesMatch(m, SourceTrees.concat(root, files));
    }

    @Test
    void piecesLargerThanOneReadAndReadsCrossingFiles() throws IOException
    {
        final Path root = tmp.resolve("album");
        final byte[] stream = SourceTrees.concat(root, SourceTrees.tree(root));
        for (final int pieceLength : new int[] {256 << 10, 1 << 20, 4 << 20})
        {
            assertPiecesMatch(Metainfo.parse(TorrentBuilder.of(root).pieceLength(pieceLength).threads(2).build()),
                stream);
        }
    }

    @Test
    void theSameBytesOnOneThreadOrManyAndOnEveryRun() throws IOException
    {
        final Path root = tmp.resolve("data");
        SourceTrees.tree(root);
        SourceTrees.write(root.resolve("b/c/d/more.bin"), 9 << 20, 99); // > 1 batch of 8 MiB: several workers
        final Instant date = Instant.ofEpochSecond(1_700_000_000L);
        final byte[] one = TorrentBuilder.of(root).pieceLength(16384).threads(1).creationDate(date).build();
        final byte[] four = TorrentBuilder.of(root).pieceLength(16384).threads(4).creationDate(date).build();
        final byte[] again = TorrentBuilder.of(root).pieceLength(16384).threads(4).creationDate(date).build();
        assertArrayEquals(one, four);
        assertArrayEquals(one, again);
        final Metainfo m = Metainfo.parse(one);
        assertEquals(List.of("a-zero", "b/c/d/big.bin", "b/c/d/more.bin", "b/c/small", "b/empty", "b/zz/empty-too",
            "z.txt"), m.files().stream().map(FileEntry::displayPath).toList());
        final BValue.BDict top = (BValue.BDict)BencodeDecoder.decode(one);
        assertEquals(1_700_000_000L, ((BValue.BInteger)top.get("creation date")).value());
    }

    @Test
    void trackersPrivateAndComment() throws IOException
    {
        SourceTrees.write(tmp.resolve("f"), 100, 1);
        final byte[] torrent = TorrentBuilder.of(tmp.resolve("f"))
            .tracker("http://a/announce").tracker("udp://b:80").privateFlag(true).comment("hello")
            .creationDate(null).createdBy(null).build();
        final Metainfo m = Metainfo.parse(torrent);
        assertEquals(List.of(List.of("http://a/announce"), List.of("udp://b:80")), m.trackerTiers());
        assertTrue(m.isPrivate());
        assertEquals("hello", m.comment());
        assertNull(m.createdBy());
        final BValue.BDict top = (BValue.BDict)BencodeDecoder.decode(torrent);
        assertEquals("http://a/announce", ((BValue.BString)top.get("announce")).utf8());
        assertNull(top.get("creation date"));
        assertEquals(1, ((BValue.BInteger)((BValue.BDict)top.get("info")).get("private")).value());
    }

    @Test
    void choosesAPowerOfTwoGivingOneToTwoThousandPieces()
    {
        assertEquals(16384, TorrentBuilder.choosePieceLength(1));
        assertEquals(16384, TorrentBuilder.choosePieceLength(2000L * 16384));
        assertEquals(32768, TorrentBuilder.choosePieceLength(2000L * 16384 + 1));
        assertEquals(1 << 20, TorrentBuilder.choosePieceLength(1L << 30));
        assertEquals(16 << 20, TorrentBuilder.choosePieceLength(1L << 40));
        for (long total = 33L << 20; total <= 2000L * (16 << 20); total = total * 3 / 2 + 12345)
        {
            final int length = TorrentBuilder.choosePieceLength(total);
            final long pieces = (total + length - 1) / length;
            assertEquals(1, Integer.bitCount(length));
            assertTrue(pieces > 1000 && pieces <= 2000, total + " -> " + length + ": " + pieces + " pieces");
        }
    }

    @Test
    void refusesABadPieceLengthOrTracker()
    {
        final TorrentBuilder b = TorrentBuilder.of(tmp);
        assertEquals("piece length must be a power of two from 16384 (16 KiB) to 134217728 (128 MiB), got 1000",
            assertThrows(IllegalArgumentException.class, () -> b.pieceLength(1000)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.pieceLength(8192));
        assertThrows(IllegalArgumentException.class, () -> b.pieceLength(3 << 14));
        assertThrows(IllegalArgumentException.class, () -> b.tracker("not a url"));
        assertThrows(IllegalArgumentException.class, () -> b.tracker("ftp://x/"));
        assertThrows(IllegalArgumentException.class, () -> b.threads(0));
    }

    @Test
    void progressReachesTheTotal() throws IOException
    {
        final byte[] data = SourceTrees.write(tmp.resolve("f"), 3 << 20, 3);
        final List<long[]> calls = new ArrayList<>();
        TorrentBuilder.of(tmp.resolve("f")).progress((done, total) -> calls.add(new long[] {done, total})).build();
        assertFalse(calls.isEmpty());
        assertArrayEquals(new long[] {data.length, data.length}, calls.get(calls.size() - 1));
        for (int i = 1; i < calls.size(); i++)
        {
            assertTrue(calls.get(i)[0] >= calls.get(i - 1)[0]);
        }
    }

    @Test
    void symlinkInsideTheRootIsFollowedOneOutsideIsRefused() throws IOException
    {
        final Path root = tmp.resolve("root");
        final byte[] data = SourceTrees.write(root.resolve("real/file"), 5000, 1);
        Files.createSymbolicLink(root.resolve("link"), Path.of("real/file"));
        final Metainfo m = Metainfo.parse(TorrentBuilder.of(root).build());
        assertEquals(List.of("link", "real/file"), m.files().stream().map(FileEntry::displayPath).toList());
        final byte[] twice = Arrays.copyOf(data, 10_000);
        System.arraycopy(data, 0, twice, 5000, 5000);
        assertPiecesMatch(m, twice);

        SourceTrees.write(tmp.resolve("secret"), 10, 2);
        final Path escape = Files.createSymbolicLink(root.resolve("escape"), Path.of("../secret"));
        final IOException ex = assertThrows(IOException.class, () -> TorrentBuilder.of(root).build());
        assertTrue(ex.getMessage().startsWith(escape + ": symbolic link leads outside "), ex.getMessage());
    }

    @Test
    void symlinkLoopIsRefused() throws IOException
    {
        final Path root = tmp.resolve("root");
        SourceTrees.write(root.resolve("dir/file"), 10, 1);
        Files.createSymbolicLink(root.resolve("dir/up"), Path.of(".."));
        final IOException ex = assertThrows(IOException.class, () -> TorrentBuilder.of(root).build());
        assertTrue(ex.getMessage().contains("symbolic link loop"), ex.getMessage());
    }

    @Test
    void specialFilesAreRefusedNotSkipped() throws Exception
    {
        final Path root = tmp.resolve("root");
        SourceTrees.write(root.resolve("file"), 10, 1);
        final Path fifo = root.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        final IOException ex = assertThrows(IOException.class, () -> TorrentBuilder.of(root).build());
        assertEquals(fifo + ": neither a regular file nor a directory", ex.getMessage());
    }

    @Test
    void nothingToShareIsAnError() throws IOException
    {
        final Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(empty.toAbsolutePath() + ": the directory holds no files",
            assertThrows(IOException.class, () -> TorrentBuilder.of(empty).build()).getMessage()
                .replace(empty.toString(), empty.toAbsolutePath().toString()));
        final Path zeros = tmp.resolve("zeros");
        SourceTrees.write(zeros.resolve("a"), 0, 1);
        SourceTrees.write(zeros.resolve("b/c"), 0, 1);
        assertEquals(zeros + ": holds no data (every file is empty)",
            assertThrows(IOException.class, () -> TorrentBuilder.of(zeros).build()).getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> TorrentBuilder.of(tmp.resolve("nope")).build());
    }

    @Test
    void aFileNameThatCannotGoInATorrentIsAnError() throws IOException
    {
        final Path root = tmp.resolve("root");
        SourceTrees.write(root.resolve("back\\slash"), 10, 1);
        final IOException ex = assertThrows(IOException.class, () -> TorrentBuilder.of(root).build());
        assertTrue(ex.getMessage().startsWith(root.resolve("back\\slash") + ": file name cannot go in a torrent"),
            ex.getMessage());
    }

    static void assertPiecesMatch(final Metainfo m, final byte[] stream)
    {
        assertEquals(stream.length, m.totalLength());
        assertEquals((stream.length + m.pieceLength() - 1) / m.pieceLength(), m.pieceCount());
        for (int i = 0; i < m.pieceCount(); i++)
        {
            final int from = i * m.pieceLength();
            final byte[] expected = InfoHash.sha1(stream, from, Math.min(m.pieceLength(), stream.length - from));
            assertTrue(m.pieceHashMatches(i, expected, 0), "piece " + i);
        }
    }
}
