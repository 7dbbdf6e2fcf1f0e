package io.spate.verify;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.storage.TorrentStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The disk handlers on their own: blocks in order are hashed as they pass, blocks out of order are read back from
 * the files, a corrupted piece fails and passes once sent again, and the files end up byte for byte the source.
 */
class VerifyPipelineTest
{
    private static final int PIECE = 64 * 1024;
    private static final int BLOCK = BlockEvent.MAX_BLOCK;

    @TempDir
    Path tmp;

    @Test
    void inOrderOutOfOrderAndCorruptPiecesGetTheRightVerdicts() throws Exception
    {
        final byte[] source = new byte[4 * PIECE - 1000]; // a short last piece
        new Random(7).nextBytes(source);
        final Path seed = Files.createDirectories(tmp.resolve("seed")).resolve("data.bin");
        Files.write(seed, source);
        final Metainfo meta = Metainfo.parse(TorrentBuilder.of(seed).pieceLength(PIECE).build());

        final List<int[]> results = new ArrayList<>();
        final TorrentRegistry registry = new TorrentRegistry(2, 1);
        final CompletionQueue queue = new CompletionQueue((t, p, r) -> results.add(new int[] {p, r}), () -> { });
        registry.setAgent(0, queue);
        final Path dir = tmp.resolve("leech");
        try (TorrentStorage storage = TorrentStorage.open(meta, dir, true);
             VerifyPipeline pipeline = new VerifyPipeline(64, 2, registry))
        {
            final int id = registry.addTorrent(storage);
            publishPiece(pipeline, id, meta, source, 0, false, -1);
            publishPiece(pipeline, id, meta, source, 1, true, -1);  // blocks in reverse order
            publishPiece(pipeline, id, meta, source, 2, false, 5);  // one byte flipped in block 0
            publishPiece(pipeline, id, meta, source, 3, false, -1); // the short last piece
            awaitResults(queue, results, 4);
            publishPiece(pipeline, id, meta, source, 2, false, -1); // piece 2 again, right this time
            awaitResults(queue, results, 5);

            assertEquals(PieceResult.VERIFIED, verdict(results, 0, 0));
            assertEquals(PieceResult.VERIFIED, verdict(results, 1, 0));
            assertEquals(PieceResult.HASH_FAILED, verdict(results, 2, 0));
            assertEquals(PieceResult.VERIFIED, verdict(results, 3, 0));
            assertEquals(PieceResult.VERIFIED, verdict(results, 2, 1));
        }
        assertArrayEquals(source, Files.readAllBytes(dir.resolve("data.bin")));
    }

    @Test
    void aBlockRewrittenAfterItWasHashedIsCheckedFromTheFiles() throws Exception
    {
        final byte[] source = new byte[2 * PIECE];
        new Random(9).nextBytes(source);
        final Path seed = Files.createDirectories(tmp.resolve("seed")).resolve("data.bin");
        Files.write(seed, source);
        final Metainfo meta = Metainfo.parse(TorrentBuilder.of(seed).pieceLength(PIECE).build());
        final List<int[]> results = new ArrayList<>();
        final TorrentRegistry registry = new TorrentRegistry(2, 1);
        final CompletionQueue queue = new CompletionQueue((t, p, r) -> results.add(new int[] {p, r}), () -> { });
        registry.setAgent(0, queue);
        try (TorrentStorage storage = TorrentStorage.open(meta, tmp.resolve("leech"), true);
             VerifyPipeline pipeline = new VerifyPipeline(64, 1, registry))
        {
            final int id = registry.addTorrent(storage);
            // piece 0: block 0, then block 0 again with a flipped byte (the file now differs from what was hashed)
            publishBlock(pipeline, id, source, 0, 0, false, -1);
            publishBlock(pipeline, id, source, 0, 0, false, 3);
            publishBlock(pipeline, id, source, 0, 1, false, -1);
            publishBlock(pipeline, id, source, 0, 2, false, -1);
            publishBlock(pipeline, id, source, 0, 3, true, -1);
            // piece 1: block 0 rewritten with the same bytes: still whole and right
            publishBlock(pipeline, id, source, 1, 0, false, -1);
            publishBlock(pipeline, id, source, 1, 0, false, -1);
            publishBlock(pipeline, id, source, 1, 1, false, -1);
            publishBlock(pipeline, id, source, 1, 2, false, -1);
            publishBlock(pipeline, id, source, 1, 3, true, -1);
            awaitResults(queue, results, 2);
        }
        assertEquals(PieceResult.HASH_FAILED, verdict(results, 0, 0));
        assertEquals(PieceResult.VERIFIED, verdict(results, 1, 0));
    }

    @Test
    void aPieceTooBigToParkOutOfOrderIsReadBackAndVerified() throws Exception
    {
        final int big = 16 << 20; // 1,024 blocks in reverse: more than the parking slots
        final byte[] source = new byte[big];
        new Random(11).nextBytes(source);
        final Path seed = Files.createDirectories(tmp.resolve("seed")).resolve("data.bin");
        Files.write(seed, source);
        final Metainfo meta = Metainfo.parse(TorrentBuilder.of(seed).pieceLength(big).build());
        final List<int[]> results = new ArrayList<>();
        final TorrentRegistry registry = new TorrentRegistry(2, 1);
        final CompletionQueue queue = new CompletionQueue((t, p, r) -> results.add(new int[] {p, r}), () -> { });
        registry.setAgent(0, queue);
        final Path dir = tmp.resolve("leech");
        try (TorrentStorage storage = TorrentStorage.open(meta, dir, true);
             VerifyPipeline pipeline = new VerifyPipeline(64, 1, registry))
        {
            final int id = registry.addTorrent(storage);
            final int blocks = big / BLOCK;
            for (int i = 0; i < blocks; i++)
            {
                publishBlockOf(pipeline, id, source, big, 0, blocks - 1 - i, i == blocks - 1, -1);
            }
            awaitResults(queue, results, 1);
        }
        assertEquals(PieceResult.VERIFIED, verdict(results, 0, 0));
        assertArrayEquals(source, Files.readAllBytes(dir.resolve("data.bin")));
    }

    private static void publishBlock(final VerifyPipeline pipeline, final int id, final byte[] source,
        final int piece, final int block, final boolean last, final int corruptAt)
    {
        publishBlockOf(pipeline, id, source, PIECE, piece, block, last, corruptAt);
    }

    private static void publishBlockOf(final VerifyPipeline pipeline, final int id, final byte[] source,
        final int pieceLength, final int piece, final int block, final boolean last, final int corruptAt)
    {
        final long seq = pipeline.claim();
        final BlockEvent event = pipeline.event(seq);
        event.set(id, piece, block * BLOCK, BLOCK, 0, last);
        event.data().putBytes(0, source, piece * pieceLength + block * BLOCK, BLOCK);
        if (corruptAt >= 0)
        {
            event.data().putByte(corruptAt, (byte)(event.data().getByte(corruptAt) ^ 1));
        }
        pipeline.publish(seq);
    }

    private static void publishPiece(final VerifyPipeline pipeline, final int id, final Metainfo meta,
        final byte[] source, final int piece, final boolean reverse, final int corruptAt)
    {
        final int size = meta.pieceSize(piece);
        final int blocks = (size + BLOCK - 1) / BLOCK;
        for (int i = 0; i < blocks; i++)
        {
            final int block = reverse ? blocks - 1 - i : i;
            final int begin = block * BLOCK;
            final int length = Math.min(BLOCK, size - begin);
            final long seq = pipeline.claim();
            final BlockEvent event = pipeline.event(seq);
            event.set(id, piece, begin, length, 0, i == blocks - 1);
            event.data().putBytes(0, source, piece * PIECE + begin, length);
            if (corruptAt >= begin && corruptAt < begin + length)
            {
                event.data().putByte(corruptAt - begin, (byte)(event.data().getByte(corruptAt - begin) ^ 1));
            }
            pipeline.publish(seq);
        }
    }

    private static void awaitResults(final CompletionQueue queue, final List<int[]> results, final int count)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (results.size() < count && System.nanoTime() < deadline)
        {
            if (queue.drain(16) == 0)
            {
                Thread.sleep(1);
            }
        }
        assertEquals(count, results.size(), "piece results received");
    }

    /** @return the result of the nth verdict for {@code piece}. */
    private static int verdict(final List<int[]> results, final int piece, final int nth)
    {
        int seen = 0;
        for (final int[] r : results)
        {
            if (r[0] == piece && seen++ == nth)
            {
                return r[1];
            }
        }
        throw new AssertionError("no verdict " + nth + " for piece " + piece);
    }
}
