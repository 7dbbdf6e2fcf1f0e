package io.spate.metainfo;

/**
 * Maps a span of the torrent's byte stream (piece, offset in piece, length) onto file extents. A span may cross
 * many files; 0-byte files are never visited. Lookups are a binary search over file start offsets; no allocation.
 * {@link #forEachExtent} is the one walk from spans to extents: every storage path (write, read, hash, send) and the
 * builder's hashing go through it.
 */
public final class PieceLayout
{
    /**
     * Receives one extent of a span: file, offset in that file, length, and offset within the span. {@code a} and
     * {@code b} are what the caller handed to {@link #forEachExtent}, passed through so that a visitor captures
     * nothing: a non-capturing lambda or a reference to a static method is one instance for the JVM's life, where a
     * capturing one is allocated at every call, and the write and send paths run once per block.
     *
     * @param <A> the first thing passed through (storage passes itself).
     * @param <B> the second (the block, the destination buffer, the digest, the socket).
     * @param <E> what the visitor may throw ({@link RuntimeException} when nothing checked).
     */
    @FunctionalInterface
    public interface ExtentVisitor<A, B, E extends Exception>
    {
        /** @return bytes of the extent done; fewer than {@code length} ends the walk (a socket that took less). */
        int extent(A a, B b, int fileIndex, long fileOffset, int length, int spanOffset) throws E;
    }

    private final long[] fileStarts;
    private final long[] fileLengths;
    private final int pieceLength;
    private final long totalLength;

    /** @param fileLengths the files' lengths in stream order (0-byte and padding files included). */
    PieceLayout(final long[] fileLengths, final int pieceLength)
    {
        this.fileStarts = new long[fileLengths.length];
        this.fileLengths = fileLengths.clone();
        long offset = 0;
        for (int i = 0; i < fileLengths.length; i++)
        {
            fileStarts[i] = offset;
            offset += fileLengths[i];
        }
        this.pieceLength = pieceLength;
        this.totalLength = offset;
    }

    public int fileCount()
    {
        return fileStarts.length;
    }

    /**
     * Visits, in order, the extents of {@code length} bytes starting {@code begin} bytes into {@code piece}.
     *
     * @return bytes visited: {@code length}, or less when a visitor did less than its extent.
     */
    public <A, B, E extends Exception> int forEachExtent(final int piece, final int begin, final int length,
        final ExtentVisitor<A, B, E> visitor, final A a, final B b) throws E
    {
        return forEachExtent((long)piece * pieceLength + begin, length, visitor, a, b);
    }

    /**
     * Visits, in order, the extents of the stream span [{@code streamOffset}, {@code streamOffset + length}).
     *
     * @return bytes visited: {@code length}, or less when a visitor did less than its extent.
     */
    public <A, B, E extends Exception> int forEachExtent(final long streamOffset, final int length,
        final ExtentVisitor<A, B, E> visitor, final A a, final B b) throws E
    {
        if (streamOffset < 0 || length < 0 || streamOffset + length > totalLength)
        {
            throw new IndexOutOfBoundsException("span " + streamOffset + "+" + length + " outside 0.." + totalLength);
        }
        int file = fileAt(streamOffset);
        long position = streamOffset;
        int done = 0;
        while (done < length)
        {
            final long fileEnd = fileStarts[file] + fileLengths[file];
            if (position < fileEnd)
            {
                final int n = (int)Math.min(length - done, fileEnd - position);
                final int did = visitor.extent(a, b, file, position - fileStarts[file], n, done);
                done += did;
                position += did;
                if (did < n)
                {
                    break;
                }
            }
            file++;
        }
        return done;
    }

    public int pieceLength()
    {
        return pieceLength;
    }

    long totalLength()
    {
        return totalLength;
    }

    /** @return the index of the file holding stream byte {@code offset} (the last such file when 0-byte files tie). */
    int fileAt(final long offset)
    {
        int lo = 0;
        int hi = fileStarts.length - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi + 1) >>> 1;
            if (fileStarts[mid] <= offset)
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
}
