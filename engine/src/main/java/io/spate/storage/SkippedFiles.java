package io.spate.storage;

import io.spate.metainfo.FileEntry;
import io.spate.metainfo.Metainfo;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * Which of a torrent's files are routed to its {@link PartFile} (skipped, and not on disk), and the extents of those
 * files going in and out of it. The routing changes only one way, from the part file to a real file
 * ({@link #unskip}): that happens under the part file's lock with the bytes moved across first, and every access to
 * a routed file takes the same lock and looks again, so a block written while a file is unskipped lands either in
 * the part file before its bytes move or in the real file after, never lost nor overwritten by older bytes.
 */
final class SkippedFiles implements AutoCloseable
{
    private final List<FileEntry> entries;
    private final int pieceLength;
    private final int pieceCount;
    private final PartFile part;
    /** Guarded by {@link #part}'s lock. */
    private final boolean[] routed;

    SkippedFiles(final Metainfo metainfo, final PartFile part, final boolean[] routed)
    {
        this.entries = metainfo.files();
        this.pieceLength = metainfo.pieceLength();
        this.pieceCount = metainfo.pieceCount();
        this.part = part;
        this.routed = routed.clone();
    }

    /**
     * Whether an extent of {@code file}, which has no open channel, may belong to the part file: any file but a
     * padding one (the lock then tells; a file just unskipped has its channel by then).
     */
    boolean maybeRouted(final int file)
    {
        return !entries.get(file).padding();
    }

    boolean routed(final int file)
    {
        synchronized (part)
        {
            return routed[file];
        }
    }

    void write(final int file, final long fileOffset, final DirectBuffer src, final int srcOffset, final int length,
        final ChannelFile[] files)
    {
        synchronized (part)
        {
            try
            {
                if (routed[file])
                {
                    final ByteBuffer bb = src.byteBuffer().duplicate();
                    final int base = src.wrapAdjustment() + srcOffset;
                    bb.limit(base + length).position(base);
                    part.write(pieceOf(file, fileOffset), inPiece(file, fileOffset), bb);
                }
                else
                {
                    files[file].write(fileOffset, src, srcOffset, length);
                }
            }
            catch (final IOException ex)
            {
                throw failed("write", file, fileOffset, length, ex);
            }
        }
    }

    void read(final int file, final long fileOffset, final ByteBuffer dst, final ChannelFile[] files)
    {
        synchronized (part)
        {
            try
            {
                if (routed[file])
                {
                    part.read(pieceOf(file, fileOffset), inPiece(file, fileOffset), dst);
                }
                else
                {
                    files[file].read(fileOffset, dst);
                }
            }
            catch (final IOException ex)
            {
                throw failed("read", file, fileOffset, dst.remaining(), ex);
            }
        }
    }

    long transferTo(final int file, final long fileOffset, final int length, final WritableByteChannel target,
        final ChannelFile[] files) throws IOException
    {
        synchronized (part)
        {
            return routed[file] ? part.transferTo(pieceOf(file, fileOffset), inPiece(file, fileOffset), length, target)
                : files[file].transferTo(fileOffset, length, target);
        }
    }

    /** For the start-up check: whether the part file holds bytes of the piece at this extent of a routed file. */
    boolean holdsAny(final int file, final long fileOffset)
    {
        synchronized (part)
        {
            return !routed[file] || part.holds(pieceOf(file, fileOffset));
        }
    }

    /** Whether every byte of the piece that lies in a routed file is in the part file. */
    boolean holds(final int piece)
    {
        synchronized (part)
        {
            final int end = routedEndInPiece(piece);
            try
            {
                return end == 0 || part.holds(piece, end);
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
    }

    /**
     * Moves the file's bytes out of the part file into {@code real}, then routes the file there ({@code publish}
     * sets the storage's channel) and frees the slots no routed file still needs; all under the lock.
     */
    void unskip(final int file, final ChannelFile real, final Runnable publish) throws IOException
    {
        synchronized (part)
        {
            moveIn(file, real);
            publish.run();
            routed[file] = false;
            freeUnneeded(file);
        }
    }

    /** Copies the bytes of {@code file} the part file holds into {@code real} (a wanted file made by this open). */
    void moveIn(final int file, final ChannelFile real) throws IOException
    {
        synchronized (part)
        {
            final FileEntry entry = entries.get(file);
            if (entry.length() == 0 || part.piecesHeld() == 0)
            {
                return;
            }
            final int first = (int)(entry.offset() / pieceLength);
            final int last = (int)((entry.end() - 1) / pieceLength);
            for (int piece = first; piece <= last; piece++)
            {
                if (!part.holds(piece))
                {
                    continue;
                }
                final long pieceStart = (long)piece * pieceLength;
                final long start = Math.max(pieceStart, entry.offset());
                final long end = Math.min(pieceStart + pieceLength, entry.end());
                final ByteBuffer bytes = ByteBuffer.allocate((int)(end - start)); // control path, a piece at most
                part.read(piece, (int)(start - pieceStart), bytes);
                real.write(start - entry.offset(), bytes.flip());
            }
            freeUnneeded(file);
        }
    }

    /** Frees the slots of the file's pieces that no routed file has bytes in. */
    private void freeUnneeded(final int file) throws IOException
    {
        final FileEntry entry = entries.get(file);
        if (entry.length() == 0)
        {
            return;
        }
        final int first = (int)(entry.offset() / pieceLength);
        final int last = (int)((entry.end() - 1) / pieceLength);
        for (int piece = first; piece <= last; piece++)
        {
            if (part.holds(piece) && routedEndInPiece(piece) == 0)
            {
                part.free(piece);
            }
        }
    }

    /** @return the end, within the piece, of its last byte that lies in a routed file; 0 if none does. */
    private int routedEndInPiece(final int piece)
    {
        final long pieceStart = (long)piece * pieceLength;
        final long pieceEnd = pieceStart + pieceLength;
        int end = 0;
        for (int i = fileAt(pieceStart); i < entries.size() && entries.get(i).offset() < pieceEnd; i++)
        {
            final FileEntry entry = entries.get(i);
            if (routed[i] && entry.end() > pieceStart)
            {
                end = (int)Math.max(end, Math.min(pieceEnd, entry.end()) - pieceStart);
            }
        }
        return end;
    }

    /** Frees the slots of pieces no routed file has bytes in (left by a crash mid-move, or files found on disk). */
    void freeStale() throws IOException
    {
        synchronized (part)
        {
            for (int piece = 0; piece < pieceCount && part.piecesHeld() > 0; piece++)
            {
                if (part.holds(piece) && routedEndInPiece(piece) == 0)
                {
                    part.free(piece);
                }
            }
        }
    }

    /** @return the first file that can hold stream byte {@code offset} (files before it end at or before it). */
    private int fileAt(final long offset)
    {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi + 1) >>> 1;
            if (entries.get(mid).offset() <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    void flush()
    {
        try
        {
            part.flush();
        }
        catch (final IOException ignored)
        {
            // the data is in the page cache; the kernel writes it back
        }
    }

    @Override
    public void close()
    {
        try
        {
            part.close();
        }
        catch (final IOException ignored)
        {
            // closing: nothing left to save
        }
    }

    private int pieceOf(final int file, final long fileOffset)
    {
        return (int)((entries.get(file).offset() + fileOffset) / pieceLength);
    }

    private int inPiece(final int file, final long fileOffset)
    {
        return (int)((entries.get(file).offset() + fileOffset) % pieceLength);
    }

    private StorageException failed(final String what, final int file, final long fileOffset, final int length,
        final IOException ex)
    {
        return new StorageException(part.path() + " (for " + entries.get(file).displayPath() + "): " + what +
            " of " + length + " bytes at " + fileOffset + " failed: " + ex.getMessage(), ex);
    }
}
