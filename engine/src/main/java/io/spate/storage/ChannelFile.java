package io.spate.storage;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;

/**
 * One file of a torrent: its channel (positional writes, positional reads, {@code transferTo} sends) and read-only
 * memory mappings for checking existing data, in windows of at most {@link #WINDOW} bytes so files over 2 GiB work.
 * Windows are mapped on first use and released by {@link #unmap} once the resume check is done, since nothing reads
 * through them afterwards (disk handlers hash blocks as they pass, or read a piece back with positional reads).
 * Writes come only from disk handlers; reads (hash, send) only touch whole or verified pieces.
 */
final class ChannelFile implements AutoCloseable
{
    /** Mapping window: 1 GiB keeps the window count small and every window below the 2 GiB ByteBuffer limit. */
    static final long WINDOW = 1L << 30;

    private final String displayPath;
    private final FileChannel channel;
    private final long length;
    private final boolean writable;
    private final MappedByteBuffer[] windows;
    private final UnsafeBuffer[] views;

    ChannelFile(final String displayPath, final FileChannel channel, final long length, final boolean writable)
    {
        this.displayPath = displayPath;
        this.channel = channel;
        this.length = length;
        this.writable = writable;
        final int count = (int)((length + WINDOW - 1) / WINDOW);
        this.windows = new MappedByteBuffer[count];
        this.views = new UnsafeBuffer[count];
    }

    long length()
    {
        return length;
    }

    FileChannel channel()
    {
        return channel;
    }

    /**
     * Writes {@code len} bytes of {@code src} (a buffer over a direct {@link java.nio.ByteBuffer}) into the file at
     * {@code position} with a positional write. Measured here: positional writes into a sparse file ran at 470-650
     * MB/s where stores through a fresh mapping ran at 220-275 MB/s (a page fault per 4 KiB page), so data goes in
     * through the channel.
     */
    void write(final long position, final DirectBuffer src, final int srcOffset, final int len) throws IOException
    {
        final java.nio.ByteBuffer bb = src.byteBuffer();
        if (bb == null || !bb.isDirect())
        {
            throw new IllegalArgumentException("block buffers must wrap a direct ByteBuffer");
        }
        final int base = src.wrapAdjustment(); // offset of index 0 within bb
        bb.limit(base + srcOffset + len).position(base + srcOffset);
        long at = position;
        while (bb.hasRemaining())
        {
            at += channel.write(bb, at);
        }
    }

    /** Copies {@code len} bytes of the file at {@code position} into {@code dst}. */
    void read(final long position, final byte[] dst, final int dstOffset, final int len)
    {
        int done = 0;
        while (done < len)
        {
            final long at = position + done;
            final int w = (int)(at / WINDOW);
            final int inWindow = (int)(at - w * WINDOW);
            final UnsafeBuffer view = view(w);
            final int n = Math.min(len - done, view.capacity() - inWindow);
            view.getBytes(inWindow, dst, dstOffset + done, n);
            done += n;
        }
    }

    /**
     * Feeds {@code len} bytes at {@code position} to the digest with positional reads through {@code chunk} (a heap
     * buffer the caller owns), leaving the file unmapped.
     */
    void digestByReading(final long position, final int len, final MessageDigest md, final ByteBuffer chunk)
        throws IOException
    {
        int done = 0;
        while (done < len)
        {
            chunk.clear().limit(Math.min(chunk.capacity(), len - done));
            while (chunk.hasRemaining())
            {
                if (channel.read(chunk, position + done + chunk.position()) < 0)
                {
                    throw new IOException(displayPath + ": file ends before byte " + (position + len));
                }
            }
            md.update(chunk.array(), chunk.arrayOffset(), chunk.position());
            done += chunk.position();
        }
    }

    /** Feeds {@code len} bytes at {@code position} to the digest, straight from the mapping. */
    void digest(final long position, final int len, final MessageDigest md)
    {
        int done = 0;
        while (done < len)
        {
            final long at = position + done;
            final int w = (int)(at / WINDOW);
            final int inWindow = (int)(at - w * WINDOW);
            final MappedByteBuffer window = window(w);
            final int n = Math.min(len - done, window.capacity() - inWindow);
            md.update(window.duplicate().limit(inWindow + n).position(inWindow));
            done += n;
        }
    }

    /**
     * Sends up to {@code len} bytes at {@code position} with {@code transferTo} (sendfile); may send fewer when the
     * socket buffer fills.
     *
     * @return bytes sent.
     */
    long transferTo(final long position, final long len, final WritableByteChannel target) throws IOException
    {
        return channel.transferTo(position, len, target);
    }

    private synchronized UnsafeBuffer view(final int w)
    {
        window(w);
        return views[w];
    }

    private synchronized MappedByteBuffer window(final int w)
    {
        if (windows[w] == null)
        {
            windows[w] = map(w);
            views[w] = new UnsafeBuffer(windows[w]);
        }
        return windows[w];
    }

    /** Releases the mappings; only when no thread reads through them (after the resume check, at close). */
    synchronized void unmap()
    {
        for (int i = 0; i < windows.length; i++)
        {
            if (windows[i] != null)
            {
                IoUtil.unmap(windows[i]);
                windows[i] = null;
                views[i] = null;
            }
        }
    }

    private MappedByteBuffer map(final int w)
    {
        final long start = w * WINDOW;
        final long size = Math.min(WINDOW, length - start);
        try
        {
            return channel.map(FileChannel.MapMode.READ_ONLY, start, size);
        }
        catch (final IOException ex)
        {
            throw new StorageException(displayPath + ": cannot map bytes " + start + ".." + (start + size) + ": " +
                ex.getMessage(), ex);
        }
    }

    /** Forces written data of this file to disk. */
    void flush() throws IOException
    {
        if (writable)
        {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException
    {
        unmap();
        channel.close();
    }
}
