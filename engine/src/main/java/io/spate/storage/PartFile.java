package io.spate.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Where the bytes of skipped files go when a wanted piece shares them (the piece must still be whole to be hashed,
 * served and resumed): one file of piece-sized slots, libtorrent's part file format (src/part_file.cpp). Header, big
 * endian: the piece count, the piece length, then one slot index per piece (-1: none), padded to a multiple of 1024
 * bytes; slot {@code s} starts at {@code header + s * pieceLength}, and a piece's bytes sit at their offset within
 * the piece. A slot's table entry is written as the slot is taken, so the file loads after a crash.
 *
 * <p>A part file that does not match this torrent (another piece count or length, a slot out of range or taken twice,
 * a header cut short) is treated as empty and overwritten, as libtorrent does: the pieces it held fail their check
 * and are fetched again. Bytes asked of a piece it does not hold read as zeros (such a piece fails its hash).
 * Created on the first write; deleted when its last slot is freed.
 *
 * <p>Thread use: every method is synchronized. Only pieces that touch a skipped file come here (a few per file), so
 * the lock is off the data path of every other piece.
 */
final class PartFile implements AutoCloseable
{
    private static final int NONE = -1;

    private final Path path;
    private final int pieceCount;
    private final int pieceLength;
    private final int headerSize;
    private final boolean writable;
    private final int[] slotOf;
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private final ByteBuffer entry = ByteBuffer.allocate(4);
    private int slotsAllocated;
    private int piecesHeld;
    private FileChannel channel;

    private PartFile(final Path path, final int pieceCount, final int pieceLength, final boolean writable)
    {
        this.path = path;
        this.writable = writable;
        this.pieceCount = pieceCount;
        this.pieceLength = pieceLength;
        this.headerSize = (int)((8 + 4L * pieceCount + 1023) & ~1023L);
        this.slotOf = new int[pieceCount];
        Arrays.fill(slotOf, NONE);
    }

    /** The part file's name in the torrent's data dir: hidden, made only of hex digits (libtorrent's too). */
    static String fileName(final String infoHashHex)
    {
        return "." + infoHashHex + ".parts";
    }

    /**
     * Opens the part file at {@code path} if there is one (reading its slot table), or prepares to create it on the
     * first write.
     *
     * @param writable false for a read-only look (resume spot checks): nothing is ever created or overwritten.
     */
    static PartFile open(final Path path, final int pieceCount, final int pieceLength, final boolean writable)
        throws IOException
    {
        final PartFile part = new PartFile(path, pieceCount, pieceLength, writable);
        if (Files.isRegularFile(path))
        {
            part.channel = writable
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
            if (!part.readHeader() && writable)
            {
                part.reset();
            }
        }
        return part;
    }

    /** Reads the slot table; false (and nothing held) when it does not describe this torrent. */
    private boolean readHeader() throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(headerSize);
        while (header.hasRemaining() && channel.read(header, header.position()) > 0)
        {
            // read the whole header, however the reads split
        }
        header.flip();
        if (header.remaining() < headerSize || header.getInt() != pieceCount || header.getInt() != pieceLength)
        {
            return false;
        }
        final boolean[] taken = new boolean[pieceCount];
        for (int piece = 0; piece < pieceCount; piece++)
        {
            final int slot = header.getInt();
            if (slot == NONE)
            {
                continue;
            }
            if (slot < 0 || slot >= pieceCount || taken[slot])
            {
                Arrays.fill(slotOf, NONE);
                slotsAllocated = 0;
                piecesHeld = 0;
                return false;
            }
            taken[slot] = true;
            slotOf[piece] = slot;
            slotsAllocated = Math.max(slotsAllocated, slot + 1);
            piecesHeld++;
        }
        for (int slot = 0; slot < slotsAllocated; slot++)
        {
            if (!taken[slot])
            {
                freeSlots.add(slot);
            }
        }
        return true;
    }

    /** Forgets what the file held and writes an empty table over it. */
    private void reset() throws IOException
    {
        Arrays.fill(slotOf, NONE);
        freeSlots.clear();
        slotsAllocated = 0;
        piecesHeld = 0;
        channel.truncate(0);
        writeHeader();
    }

    private void writeHeader() throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(headerSize);
        header.putInt(pieceCount).putInt(pieceLength);
        for (final int slot : slotOf)
        {
            header.putInt(slot);
        }
        header.clear();
        writeFully(header, 0);
    }

    Path path()
    {
        return path;
    }

    /** Whether the piece has a slot (some of its bytes were stored here). */
    synchronized boolean holds(final int piece)
    {
        return slotOf[piece] != NONE;
    }

    /** Whether the piece has a slot and the file reaches {@code endInPiece} bytes into it (not cut short). */
    synchronized boolean holds(final int piece, final int endInPiece) throws IOException
    {
        return slotOf[piece] != NONE && channel.size() >= slotStart(slotOf[piece]) + endInPiece;
    }

    synchronized int piecesHeld()
    {
        return piecesHeld;
    }

    /** Writes {@code src}'s remaining bytes at {@code offset} within the piece, taking a slot for it if needed. */
    synchronized void write(final int piece, final int offset, final ByteBuffer src) throws IOException
    {
        checkSpan(piece, offset, src.remaining());
        if (!writable)
        {
            throw new StorageException(path + ": opened read-only");
        }
        if (channel == null)
        {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            channel.truncate(0);
            writeHeader();
        }
        int slot = slotOf[piece];
        if (slot == NONE)
        {
            slot = freeSlots.isEmpty() ? slotsAllocated++ : freeSlots.poll();
            slotOf[piece] = slot;
            piecesHeld++;
            writeEntry(piece, slot);
        }
        writeFully(src, slotStart(slot) + offset);
    }

    /** Fills {@code dst}'s remaining bytes from {@code offset} within the piece; what the file lacks reads as zeros. */
    synchronized void read(final int piece, final int offset, final ByteBuffer dst) throws IOException
    {
        checkSpan(piece, offset, dst.remaining());
        final int slot = slotOf[piece];
        if (slot != NONE)
        {
            final long start = slotStart(slot) + offset - dst.position();
            while (dst.hasRemaining())
            {
                if (channel.read(dst, start + dst.position()) <= 0) // the end of a file cut short
                {
                    break;
                }
            }
        }
        while (dst.hasRemaining())
        {
            dst.put((byte)0);
        }
    }

    /**
     * Sends up to {@code length} bytes from {@code offset} within a piece it holds with {@code transferTo}.
     *
     * @return bytes sent (fewer when the socket is full).
     */
    synchronized long transferTo(final int piece, final int offset, final int length,
        final WritableByteChannel target) throws IOException
    {
        checkSpan(piece, offset, length);
        final int slot = slotOf[piece];
        if (slot == NONE)
        {
            throw new StorageException(path + ": holds no bytes of piece " + piece);
        }
        return channel.transferTo(slotStart(slot) + offset, length, target);
    }

    /** Gives the piece's slot back (its bytes all live in real files now); deletes the file once it holds nothing. */
    synchronized void free(final int piece) throws IOException
    {
        final int slot = slotOf[piece];
        if (slot == NONE)
        {
            return;
        }
        slotOf[piece] = NONE;
        piecesHeld--;
        freeSlots.add(slot);
        if (piecesHeld == 0)
        {
            channel.close();
            channel = null;
            freeSlots.clear();
            slotsAllocated = 0;
            Files.deleteIfExists(path);
            return;
        }
        writeEntry(piece, NONE);
    }

    synchronized void flush() throws IOException
    {
        if (channel != null)
        {
            channel.force(false);
        }
    }

    @Override
    public synchronized void close() throws IOException
    {
        if (channel != null)
        {
            channel.close();
            channel = null;
        }
    }

    private void writeEntry(final int piece, final int slot) throws IOException
    {
        entry.clear();
        entry.putInt(slot).flip();
        writeFully(entry, 8 + 4L * piece);
    }

    private void writeFully(final ByteBuffer src, final long position) throws IOException
    {
        long at = position;
        while (src.hasRemaining())
        {
            at += channel.write(src, at);
        }
    }

    private long slotStart(final int slot)
    {
        return headerSize + (long)slot * pieceLength;
    }

    private void checkSpan(final int piece, final int offset, final int length)
    {
        if (piece < 0 || piece >= pieceCount || offset < 0 || length < 0 || offset + length > pieceLength)
        {
            throw new IllegalArgumentException("piece " + piece + " bytes " + offset + "+" + length +
                " outside the part file's pieces of " + pieceLength);
        }
    }
}
