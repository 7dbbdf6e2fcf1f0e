package io.spate.storage;

import io.spate.bencode.BencodeWriter;
import io.spate.metainfo.InfoHash;
import io.spate.metainfo.Metainfo;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage over a file bigger than 2 GiB (sparse, so nothing big is written): pieces that cross a file boundary and
 * the 1 GiB and 2 GiB mapping-window boundaries are written, read back, and verified both through the mappings
 * (the start-up check) and with positional reads (the disk handlers), before and after the mappings are released.
 */
class TorrentStorageTest
{
    private static final int PIECE = 16 * 1024;
    private static final long SMALL = 1000;
    private static final long BIG = 3L << 30;
    /** Piece 0 spans both files; pieces 65536 and 131072 cross big.bin's 1 GiB and 2 GiB window boundaries. */
    private static final int[] TESTED = {0, 65536, 131072};

    @TempDir
    Path tmp;

    @Test
    void piecesAcrossFilesAndMappingWindowsRoundTripAndVerifyBothWays() throws Exception
    {
        final long total = SMALL + BIG;
        final int pieceCount = (int)((total + PIECE - 1) / PIECE);
        final byte[] hashes = new byte[pieceCount * 20];
        final byte[][] data = new byte[TESTED.length][PIECE];
        final MessageDigest sha1 = InfoHash.newSha1();
        final Random random = new Random(42);
        for (int i = 0; i < TESTED.length; i++)
        {
            random.nextBytes(data[i]);
            System.arraycopy(sha1.digest(data[i]), 0, hashes, TESTED[i] * 20, 20);
        }
        final Metainfo meta = Metainfo.parse(torrent(hashes));

        final byte[] digest = new byte[20];
        final ByteBuffer chunk = ByteBuffer.allocate(PIECE);
        try (TorrentStorage storage = TorrentStorage.open(meta, tmp, true))
        {
            final UnsafeBuffer block = new UnsafeBuffer(ByteBuffer.allocateDirect(PIECE));
            for (int i = 0; i < TESTED.length; i++)
            {
                block.putBytes(0, data[i]);
                storage.write(TESTED[i], 0, block, PIECE);
            }
            for (int i = 0; i < TESTED.length; i++)
            {
                final byte[] back = new byte[PIECE];
                storage.read(TESTED[i], 0, ByteBuffer.wrap(back));
                assertArrayEquals(data[i], back, "piece " + TESTED[i] + " read back");
                assertTrue(storage.verifyPiece(TESTED[i], sha1, digest), "mapped hash of " + TESTED[i]);
                assertTrue(storage.verifyPieceByReading(TESTED[i], sha1, digest, chunk), "read hash of " + TESTED[i]);
            }
            assertFalse(storage.verifyPieceByReading(1, sha1, digest, chunk), "a piece never written");

            // one byte changed on disk behind the window boundary: both ways of hashing see it
            final Path big = tmp.resolve("data").resolve("big").resolve("b.bin");
            try (FileChannel ch = FileChannel.open(big, StandardOpenOption.WRITE))
            {
                ch.write(ByteBuffer.wrap(new byte[] {(byte)(data[1][PIECE - 1] ^ 1)}), (1L << 30) + PIECE - SMALL - 1);
            }
            assertFalse(storage.verifyPieceByReading(65536, sha1, digest, chunk));
            assertFalse(storage.verifyPiece(65536, sha1, digest));

            storage.releaseMappings();
            assertTrue(storage.verifyPiece(131072, sha1, digest), "mapped again on demand after release");
        }
        assertEquals(SMALL, Files.size(tmp.resolve("data").resolve("a.bin")));
        assertEquals(BIG, Files.size(tmp.resolve("data").resolve("big").resolve("b.bin")));
    }

    /** A two-file torrent (a.bin, big/b.bin), keys in bencode order. */
    private static byte[] torrent(final byte[] hashes)
    {
        final BencodeWriter w = new BencodeWriter(hashes.length + 512);
        w.startDict().string("info").startDict()
            .string("files").startList()
            .startDict().string("length").integer(SMALL).string("path").startList().string("a.bin").end().end()
            .startDict().string("length").integer(BIG).string("path").startList().string("big").string("b.bin").end()
            .end()
            .end()
            .string("name").string("data")
            .string("piece length").integer(PIECE)
            .string("pieces").bytes(hashes, 0, hashes.length)
            .end().end();
        return w.toByteArray();
    }
}
