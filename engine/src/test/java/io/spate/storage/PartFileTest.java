package io.spate.storage;

import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.InfoHash;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The part file under {@link TorrentStorage}: a three-file torrent whose middle file is skipped. The bytes of the
 * skipped file that the border pieces share go to {@code .HASH.parts} and come back for hashing and sending; an
 * unskip moves them into the real file; a part file cut short, or another torrent's, is survived (the pieces it held
 * fail their check or are dropped from resume data), never served wrong.
 */
class PartFileTest
{
    private static final int PIECE = 16 * 1024;
    /** a: pieces 0-1; b (skipped): 1-3, piece 2 wholly inside; c: 3-4. */
    private static final int[] LENGTHS = {20_000, 40_000, 15_000};
    private static final FilePriorities SKIP_MIDDLE = FilePriorities.of(List.of(4, 0, 4), 3, "test");

    @TempDir
    Path tmp;
    private Metainfo meta;
    private byte[] content;
    private Path dl;

    @BeforeEach
    void torrent() throws Exception
    {
        final Path src = tmp.resolve("src/set");
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < LENGTHS.length; i++)
        {
            final Path file = src.resolve((char)('a' + i) + ".bin");
            TestData.file(file, LENGTHS[i], 5 + i);
            all.write(Files.readAllBytes(file));
        }
        content = all.toByteArray();
        meta = Metainfo.parse(TorrentBuilder.of(src).pieceLength(PIECE).build());
        dl = tmp.resolve("dl");
    }

    private void writePiece(final TorrentStorage storage, final int piece)
    {
        final int size = meta.pieceSize(piece);
        final ByteBuffer direct = ByteBuffer.allocateDirect(size);
        direct.put(content, piece * PIECE, size).clear();
        storage.write(piece, 0, new UnsafeBuffer(direct), size);
    }

    private boolean verifies(final TorrentStorage storage, final int piece)
    {
        return storage.verifyPieceByReading(piece, InfoHash.newSha1(), new byte[20], ByteBuffer.allocate(PIECE));
    }

    private byte[] file(final int i)
    {
        int from = 0;
        for (int k = 0; k < i; k++)
        {
            from += LENGTHS[k];
        }
        return Arrays.copyOfRange(content, from, from + LENGTHS[i]);
    }

    private Path partFile()
    {
        return dl.resolve(TorrentStorage.partFileName(meta));
    }

    @Test
    void borderPiecesRoundTripThroughThePartFileAndTheSkippedFileIsNeverCreated() throws Exception
    {
        try (TorrentStorage storage = TorrentStorage.open(meta, dl, true, SKIP_MIDDLE))
        {
            for (final int piece : new int[] {0, 1, 3, 4})
            {
                writePiece(storage, piece);
                assertTrue(verifies(storage, piece), "piece " + piece);
            }
            // a send of piece 1 crosses from a.bin into the part file
            final Path sent = tmp.resolve("sent");
            try (FileChannel out = FileChannel.open(sent, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
            {
                long done = 0;
                while (done < PIECE)
                {
                    done += storage.send(1, (int)done, PIECE - (int)done, out);
                }
            }
            assertArrayEquals(Arrays.copyOfRange(content, PIECE, 2 * PIECE), Files.readAllBytes(sent));
        }
        assertFalse(Files.exists(dl.resolve("set/b.bin")));
        assertArrayEquals(file(0), Files.readAllBytes(dl.resolve("set/a.bin")));
        assertArrayEquals(file(2), Files.readAllBytes(dl.resolve("set/c.bin")));
        assertTrue(Files.size(partFile()) < LENGTHS[1], "the part file holds the border pieces, not the file");

        // opened again (a restart): the part file's table is read back and the pieces still verify
        try (TorrentStorage storage = TorrentStorage.open(meta, dl, true, SKIP_MIDDLE))
        {
            assertTrue(verifies(storage, 1));
            assertTrue(verifies(storage, 3));
            assertTrue(storage.holdsPartBytes(1));
            assertTrue(storage.holdsPartBytes(3));
            assertTrue(storage.mayHoldData(1), "worth checking at start: a.bin and the part file hold it");
            assertFalse(storage.mayHoldData(2), "nothing of piece 2 was stored");
        }
    }

    @Test
    void anUnskippedFileGetsItsBytesFromThePartFileWhichIsThenDeleted() throws Exception
    {
        try (TorrentStorage storage = TorrentStorage.open(meta, dl, true, SKIP_MIDDLE))
        {
            for (final int piece : new int[] {0, 1, 3, 4})
            {
                writePiece(storage, piece);
            }
            storage.unskip(1);
            assertFalse(Files.exists(partFile()), "every slot moved out: the part file goes");
            writePiece(storage, 2);
            for (int piece = 0; piece < meta.pieceCount(); piece++)
            {
                assertTrue(verifies(storage, piece), "piece " + piece);
            }
        }
        for (int i = 0; i < LENGTHS.length; i++)
        {
            assertArrayEquals(file(i), Files.readAllBytes(dl.resolve("set/" + (char)('a' + i) + ".bin")));
        }
    }

    @Test
    void aFileWantedAgainWhileStoppedGetsItsBytesAtTheNextOpen() throws Exception
    {
        try (TorrentStorage storage = TorrentStorage.open(meta, dl, true, SKIP_MIDDLE))
        {
            writePiece(storage, 1);
            writePiece(storage, 3);
        }
        try (TorrentStorage storage = TorrentStorage.open(meta, dl, true, null))
        {
            assertTrue(verifies(storage, 1));
            assertTrue(verifies(storage, 3));
        }
        assertFalse(Files.exists(partFile()));
        final byte[] b = Files.readAllBytes(dl.resolve("set/b.bin"));
        final int inB = PIECE * 2 - LENGTHS[0]; // piece 1's bytes in b.bin
        assertArrayEquals(Arrays.copyOfRange(file(1), 0, inB), Arrays.copyOfRange(b, 0, inB));
    }

    @Test
    void aPartFileCutShortFailsThePiecesItLostAndResumeDataNoLongerVouchesForThem() throws Exception
    {
        try (TorrentStorage storage = TorrentStorage.open(meta, dl, true, SKIP_MIDDLE))
        {
            for (final int piece : new int[] {1, 3})
            {
                writePiece(storage, piece);
            }
        }
        final long full = Files.size(partFile());
        try (FileChannel part = FileChannel.open(partFile(), StandardOpenOption.WRITE))
        {
            part.truncate(full - 100); // the last slot loses its tail
        }
        try (TorrentStorage storage = TorrentStorage.open(meta, dl, true, SKIP_MIDDLE))
        {
            final int lostPiece = storage.holdsPartBytes(1) ? 3 : 1;
            assertFalse(storage.holdsPartBytes(lostPiece));
            assertTrue(storage.holdsPartBytes(4 - lostPiece), "the other slot is whole");
            assertFalse(verifies(storage, lostPiece), "the lost bytes read as zeros and fail the hash");
            assertTrue(verifies(storage, 4 - lostPiece));
            writePiece(storage, lostPiece); // fetched again: the slot is written whole
            assertTrue(verifies(storage, lostPiece));
            assertTrue(storage.holdsPartBytes(lostPiece));
        }
    }

    @Test
    void aPartFileOfAnotherShapeOrWithABrokenTableIsStartedAfresh() throws Exception
    {
        Files.createDirectories(dl);
        final ByteBuffer header = ByteBuffer.allocate(1024);
        header.putInt(meta.pieceCount()).putInt(PIECE);
        header.putInt(0).putInt(0).putInt(99).putInt(-1).putInt(-1); // slot 0 twice, slot 99 out of range
        Files.write(partFile(), header.array());
        try (TorrentStorage storage = TorrentStorage.open(meta, dl, true, SKIP_MIDDLE))
        {
            assertFalse(storage.holdsPartBytes(1));
            assertFalse(storage.mayHoldData(1));
            writePiece(storage, 1);
            assertTrue(verifies(storage, 1));
        }
        Files.write(partFile(), new byte[] {1, 2, 3}); // a header cut short
        try (TorrentStorage storage = TorrentStorage.open(meta, dl, true, SKIP_MIDDLE))
        {
            assertFalse(storage.holdsPartBytes(1));
            writePiece(storage, 3);
            assertTrue(verifies(storage, 3));
        }
        // the table (8 + 4 * pieces bytes) fills 1 KiB; slot 0 then holds piece 3's bytes in b.bin
        assertEquals(1024 + (LENGTHS[0] + LENGTHS[1] - 3 * PIECE), Files.size(partFile()));
    }
}
