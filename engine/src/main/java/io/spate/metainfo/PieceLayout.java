package io.spate.metainfo;

import java.util.List;

/**
 * Maps a span of the torrent's byte stream (piece, offset in piece, length) onto file extents. A span may cross
 * many files; 0-byte files are never visited. Lookups are a binary search over file start offsets; no allocation.
 */
public final class PieceLayout
{
    /** Receives one extent of a span: file, offset in that file, length, and offset within the span. */
    @FunctionalInterface
    public interface ExtentVisitor
    {
        void extent(int fileIndex, long fileOffset, int length, int spanOffset);
    }

    private final long[] fileStarts;
    private final long[] fileLengths;
    private final int pieceLength;
    private final long totalLength;

    PieceLayout(final List<FileEntry> files, final int pieceLength, final long totalLength)
    {
        this.fileStarts = new long[files.size()];
        this.fileLengths = new long[files.size()];
        for (int i = 0; i < files.size(); i++)
        {
            fileStarts[i] = files.get(i).offset();
            fileLengths[i] = files.get(i).length();
        }
        this.pieceLength = pieceLength;
        this.totalLength = totalLength;
    }

    public int fileCount()
    {
        return fileStarts.length;
    }

    /** Visits the extents of {@code length} bytes starting {@code begin} bytes into {@code piece}. */
    public void forEachExtent(final int piece, final int begin, final int length, final ExtentVisitor visitor)
    {
        forEachExtent((long)piece * pieceLength + begin, length, visitor);
    }

    /** Visits the extents of the stream span [{@code streamOffset}, {@code streamOffset + length}). */
    public void forEachExtent(final long streamOffset, final int length, final ExtentVisitor visitor)
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
                visitor.extent(file, position - fileStarts[file], n, done);
                done += n;
                position += n;
            }
            file++;
        }
    }

    /** @return the index of the non-empty file holding stream byte {@code offset} (0 <= offset < total length). */
    public int fileHolding(final long offset)
    {
        int file = fileAt(offset);
        while (fileLengths[file] == 0 || offset >= fileStarts[file] + fileLengths[file])
        {
            file++;
        }
        return file;
    }

    /** @return where file {@code file} starts in the torrent's byte stream. */
    public long fileStart(final int file)
    {
        return fileStarts[file];
    }

    public long fileLength(final int file)
    {
        return fileLengths[file];
    }

    public int pieceLength()
    {
        return pieceLength;
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
