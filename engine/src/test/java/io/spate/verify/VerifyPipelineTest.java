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
 * The disk handlers on their own: blocks in order are hashed as they pass, blocks ahead of their turn are written
 * at once and hashed in order from the files (what is on disk is what is hashed, the later copy of a block winning),
 * a block rewritten after it was hashed is checked from the files, a corrupted piece fails and passes once sent again,
 * and the files end up byte for byte the source.
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
        try (Rig rig = new Rig(tmp, 4 * PIECE - 1000, PIECE, 2)) // a short last piece
        {
            rig.publishPiece(0, false, -1);
            rig.publishPiece(1, true, -1);  // blocks in reverse order
            rig.publishPiece(2, false, 5);  // one byte flipped in block 0
            rig.publishPiece(3, false, -1); // the short last piece
            rig.await(4);
            rig.publishPiece(2, false, -1); // piece 2 again, right this time
            rig.await(5);
            assertEquals(PieceResult.VERIFIED, rig.verdict(0, 0));
            assertEquals(PieceResult.VERIFIED, rig.verdict(1, 0));
            assertEquals(PieceResult.HASH_FAILED, rig.verdict(2, 0));
            assertEquals(PieceResult.VERIFIED, rig.verdict(3, 0));
            assertEquals(PieceResult.VERIFIED, rig.verdict(2, 1));
            rig.close();
            assertArrayEquals(rig.source, Files.readAllBytes(rig.dir.resolve("data.bin")));
        }
    }

    @Test
    void aBlockRewrittenAfterItWasHashedIsCheckedFromTheFiles() throws Exception
    {
        try (Rig rig = new Rig(tmp, 2 * PIECE, PIECE, 1))
        {
            // piece 0: block 0, then block 0 again with a flipped byte (the file now differs from what was hashed)
            rig.publishBlock(0, 0, false, -1);
            rig.publishBlock(0, 0, false, 3);
            rig.publishBlock(0, 1, false, -1);
            rig.publishBlock(0, 2, false, -1);
            rig.publishBlock(0, 3, true, -1);
            // piece 1: block 0 rewritten with the same bytes: still whole and right
            rig.publishBlock(1, 0, false, -1);
            rig.publishBlock(1, 0, false, -1);
            rig.publishBlock(1, 1, false, -1);
            rig.publishBlock(1, 2, false, -1);
            rig.publishBlock(1, 3, true, -1);
            rig.await(2);
            assertEquals(PieceResult.HASH_FAILED, rig.verdict(0, 0));
            assertEquals(PieceResult.VERIFIED, rig.verdict(1, 0));
        }
    }

    @Test
    void aBlockAheadOfItsTurnIsHashedAsItsLaterCopyLeftItOnDisk() throws Exception
    {
        try (Rig rig = new Rig(tmp, 3 * PIECE, PIECE, 1))
        {
            // piece 0: block 2 ahead, corrupt, then again right before the gap fills: the right copy is hashed
            rig.publishBlock(0, 2, false, 7);
            rig.publishBlock(0, 2, false, -1);
            rig.publishBlock(0, 3, false, -1);
            rig.publishBlock(0, 0, false, -1);
            rig.publishBlock(0, 1, true, -1);
            // piece 1: block 3 ahead, right, then again corrupt: the file holds the corrupt copy and the piece fails
            rig.publishBlock(1, 3, false, -1);
            rig.publishBlock(1, 3, false, 100);
            rig.publishBlock(1, 1, false, -1);
            rig.publishBlock(1, 2, false, -1);
            rig.publishBlock(1, 0, true, -1);
            // piece 2: every block ahead but the first, which comes last
            rig.publishBlock(2, 3, false, -1);
            rig.publishBlock(2, 1, false, -1);
            rig.publishBlock(2, 2, false, -1);
            rig.publishBlock(2, 0, true, -1);
            rig.await(3);
            assertEquals(PieceResult.VERIFIED, rig.verdict(0, 0));
            assertEquals(PieceResult.HASH_FAILED, rig.verdict(1, 0));
            assertEquals(PieceResult.VERIFIED, rig.verdict(2, 0));
        }
    }

    @Test
    void aBigPieceInReverseIsHashedInOrderFromTheBlocksWrittenAhead() throws Exception
    {
        final int big = 16 << 20; // 1,024 blocks in reverse: every one but the last written ahead of its turn
        try (Rig rig = new Rig(tmp, big, big, 1))
        {
            rig.publishPiece(0, true, -1);
            rig.await(1);
            assertEquals(PieceResult.VERIFIED, rig.verdict(0, 0));
            rig.close();
            assertArrayEquals(rig.source, Files.readAllBytes(rig.dir.resolve("data.bin")));
        }
    }

    /** Random source data, its torrent, a storage to fill, and a pipeline whose verdicts are collected. */
    private static final class Rig implements AutoCloseable
    {
        final byte[] source;
        final Path dir;
        private final int pieceLength;
        private final Metainfo meta;
        private final List<int[]> results = new ArrayList<>();
        private final CompletionQueue queue;
        private final TorrentStorage storage;
        private final VerifyPipeline pipeline;
        private final int id;
        private boolean closed;

        Rig(final Path tmp, final int length, final int pieceLength, final int handlers) throws Exception
        {
            this.source = new byte[length];
            new Random(length).nextBytes(source);
            this.pieceLength = pieceLength;
            final Path seed = Files.createDirectories(tmp.resolve("seed")).resolve("data.bin");
            Files.write(seed, source);
            this.meta = Metainfo.parse(TorrentBuilder.of(seed).pieceLength(pieceLength).build());
            final TorrentRegistry registry = new TorrentRegistry(2, 1);
            this.queue = new CompletionQueue((t, p, r) -> results.add(new int[] {p, r}), () -> { });
            registry.setAgent(0, queue);
            this.dir = tmp.resolve("leech");
            this.storage = TorrentStorage.open(meta, dir, true);
            this.pipeline = new VerifyPipeline(64, handlers, registry);
            this.id = registry.addTorrent(storage);
        }

        /** Every block of a piece, in order or reversed; the last one published completes it. */
        void publishPiece(final int piece, final boolean reverse, final int corruptAt)
        {
            final int blocks = (meta.pieceSize(piece) + BLOCK - 1) / BLOCK;
            for (int i = 0; i < blocks; i++)
            {
                final int block = reverse ? blocks - 1 - i : i;
                publishBlock(piece, block, i == blocks - 1, corruptAt - block * BLOCK);
            }
        }

        /** One block; the byte at {@code corruptAt} (an offset in the block; out of range for none) gets a bit flipped. */
        void publishBlock(final int piece, final int block, final boolean completes, final int corruptAt)
        {
            final int begin = block * BLOCK;
            final int length = Math.min(BLOCK, meta.pieceSize(piece) - begin);
            final long seq = pipeline.claim();
            final BlockEvent event = pipeline.event(seq);
            event.set(id, piece, begin, length, 0, completes);
            event.data().putBytes(0, source, piece * pieceLength + begin, length);
            if (corruptAt >= 0 && corruptAt < length)
            {
                event.data().putByte(corruptAt, (byte)(event.data().getByte(corruptAt) ^ 1));
            }
            pipeline.publish(seq);
        }

        void await(final int count) throws InterruptedException
        {
            final long deadline = System.nanoTime() + 20_000_000_000L;
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
        int verdict(final int piece, final int nth)
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

        @Override
        public void close()
        {
            if (!closed)
            {
                closed = true;
                pipeline.close();
                storage.close();
            }
        }
    }
}
