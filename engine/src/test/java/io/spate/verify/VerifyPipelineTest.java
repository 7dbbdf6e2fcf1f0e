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
