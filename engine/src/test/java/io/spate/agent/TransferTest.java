package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.Swarm;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracker, seed and leechers in one JVM on loopback: every leecher ends with files byte-identical to the seed's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransferTest
{
    @TempDir
    Path tmp;

    private Metainfo torrent(final Path content, final int pieceLength, final String announce) throws Exception
    {
        final byte[] bytes = TorrentBuilder.of(content).pieceLength(pieceLength).tracker(announce).build();
        return Metainfo.parse(bytes);
    }

    private static void awaitComplete(final Swarm.Peer peer) throws Exception
    {
        peer.torrent().completion().get(90, TimeUnit.SECONDS);
    }

    @Test
    void singleFileToTwoLeechersWithShortLastPiece() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("movie.bin"), 3 * 1024 * 1024 + 12_345, 1);
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = torrent(seedDir.resolve("movie.bin"), 32 * 1024, swarm.announceUrl());
            swarm.seed(meta, seedDir);
            final Swarm.Peer a = swarm.leech(meta, tmp.resolve("a"));
            final Swarm.Peer b = swarm.leech(meta, tmp.resolve("b"));
            awaitComplete(a);
            awaitComplete(b);
            final Map<String, String> expected = TestData.manifest(seedDir);
            assertEquals(expected, TestData.manifest(tmp.resolve("a")));
            assertEquals(expected, TestData.manifest(tmp.resolve("b")));
        }
    }

    @Test
    void multiFileWithNestedFoldersAndEmptyFiles() throws Exception
    {
        final Path root = tmp.resolve("seed").resolve("album");
        TestData.file(root.resolve("cd1/01.flac"), 700_001, 2);
        TestData.file(root.resolve("cd1/02.flac"), 16_384, 3);
        Files.createDirectories(root.resolve("cd2/extras"));
        Files.write(root.resolve("cd2/extras/empty.txt"), new byte[0]);
        TestData.file(root.resolve("cd2/03.flac"), 1_234_567, 4);
        Files.write(root.resolve("zero.nfo"), new byte[0]);
        TestData.file(root.resolve("z/last.bin"), 5, 5);
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = torrent(root, 16 * 1024, swarm.announceUrl());
            swarm.seed(meta, tmp.resolve("seed"));
            final Swarm.Peer leech = swarm.leech(meta, tmp.resolve("leech"));
            awaitComplete(leech);
            assertEquals(TestData.manifest(tmp.resolve("seed")), TestData.manifest(tmp.resolve("leech")));
            assertTrue(Files.isRegularFile(tmp.resolve("leech/album/cd2/extras/empty.txt")));
            assertTrue(Files.isRegularFile(tmp.resolve("leech/album/zero.nfo")));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16 * 1024, 256 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024})
    void pieceLengthsFrom16KiBTo16MiB(final int pieceLength) throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        // at least two pieces, the last one short
        final long size = Math.max(2L * pieceLength - 777, 1_000_000);
        TestData.file(seedDir.resolve("data.bin"), size, pieceLength);
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = torrent(seedDir.resolve("data.bin"), pieceLength, swarm.announceUrl());
            swarm.seed(meta, seedDir);
            final Swarm.Peer leech = swarm.leech(meta, tmp.resolve("leech"));
            awaitComplete(leech);
            assertEquals(TestData.manifest(seedDir), TestData.manifest(tmp.resolve("leech")));
        }
    }

    @Test
    void leecherHoldingHalfTheDataResumesAndFetchesOnlyTheRest() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        final long size = 2 * 1024 * 1024;
        TestData.file(seedDir.resolve("data.bin"), size, 7);
        final Path leechDir = tmp.resolve("leech");
        Files.createDirectories(leechDir);
        // the first half as it should be, the second half missing (file shorter)
        try (FileChannel in = FileChannel.open(seedDir.resolve("data.bin"));
             FileChannel out = FileChannel.open(leechDir.resolve("data.bin"), StandardOpenOption.CREATE,
                 StandardOpenOption.WRITE))
        {
            in.transferTo(0, size / 2, out);
        }
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = torrent(seedDir.resolve("data.bin"), 64 * 1024, swarm.announceUrl());
            final Swarm.Peer leech = swarm.leech(meta, leechDir);
            assertEquals(size / 2, leech.torrent().stats().verifiedBytes.get(), "resume check found the first half");
            swarm.seed(meta, seedDir);
            awaitComplete(leech);
            assertEquals(TestData.manifest(seedDir), TestData.manifest(leechDir));
            assertEquals(size / 2, leech.torrent().stats().downloadedBytes.get(), "only the missing half moved");
        }
    }

    @Test
    void leechersCompleteAfterTheSeedLeavesOnceTheyHoldOneCopyBetweenThem() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("data.bin"), 4 * 1024 * 1024, 8);
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = torrent(seedDir.resolve("data.bin"), 32 * 1024, swarm.announceUrl());
            final Swarm.Peer seed = swarm.seed(meta, seedDir);
            final Swarm.Peer a = swarm.leech(meta, tmp.resolve("a"));
            final Swarm.Peer b = swarm.leech(meta, tmp.resolve("b"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true)
            {
                final BitSet union = a.torrent().verifiedPieces().get(5, TimeUnit.SECONDS);
                union.or(b.torrent().verifiedPieces().get(5, TimeUnit.SECONDS));
                if (union.cardinality() == meta.pieceCount())
                {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "leechers never held a full copy between them");
                Thread.sleep(5);
            }
            swarm.stop(seed);
            awaitComplete(a);
            awaitComplete(b);
            assertEquals(TestData.manifest(seedDir), TestData.manifest(tmp.resolve("a")));
            assertEquals(TestData.manifest(seedDir), TestData.manifest(tmp.resolve("b")));
        }
    }
}
