package io.spate.metainfo;

import java.util.Arrays;
import java.util.List;

/**
 * A priority for each file of a torrent, as libtorrent numbers them: 0 skips the file, 1 to 7 download it, higher
 * first ({@link #DEFAULT} 4 is libtorrent's default). Indexes are those of {@link Metainfo#files()}, padding files
 * included (what {@code spate info} lists). A piece takes the highest priority of the files it touches (libtorrent
 * does the same), so a piece shared by a skipped and a wanted file is downloaded. Immutable.
 */
public final class FilePriorities
{
    public static final int SKIP = 0;
    public static final int DEFAULT = 4;
    public static final int MAX = 7;

    private final byte[] values;

    private FilePriorities(final byte[] values)
    {
        this.values = values;
    }

    /** Every file at {@link #DEFAULT}. */
    public static FilePriorities all(final int fileCount)
    {
        final byte[] values = new byte[fileCount];
        Arrays.fill(values, (byte)DEFAULT);
        return new FilePriorities(values);
    }

    /**
     * @param field names the values in errors (an API field, a command-line option).
     * @throws IllegalArgumentException naming the field and the bad value: a count other than the file count, a
     *                                  priority outside 0..7.
     */
    public static FilePriorities of(final List<Integer> priorities, final int fileCount, final String field)
    {
        if (priorities.size() != fileCount)
        {
            throw new IllegalArgumentException(field + ": " + priorities.size() + " priorities for a torrent of " +
                fileCount + " files");
        }
        final byte[] values = new byte[fileCount];
        for (int i = 0; i < fileCount; i++)
        {
            final Integer p = priorities.get(i);
            if (p == null || p < SKIP || p > MAX)
            {
                throw new IllegalArgumentException(field + "[" + i + "]: a priority must be 0..7, got " + p);
            }
            values[i] = (byte)(int)p;
        }
        return new FilePriorities(values);
    }

    public int fileCount()
    {
        return values.length;
    }

    public int get(final int file)
    {
        return values[file];
    }

    public boolean skipped(final int file)
    {
        return values[file] == SKIP;
    }

    /** @return a copy with file {@code file} at {@code priority} (0..7). */
    public FilePriorities with(final int file, final int priority)
    {
        if (priority < SKIP || priority > MAX)
        {
            throw new IllegalArgumentException("a priority must be 0..7, got " + priority);
        }
        final byte[] copy = values.clone();
        copy[file] = (byte)priority;
        return new FilePriorities(copy);
    }

    /** Whether some file that holds data is skipped (otherwise every piece is wanted). */
    public boolean anySkipped(final Metainfo metainfo)
    {
        for (int i = 0; i < values.length; i++)
        {
            final FileEntry entry = metainfo.files().get(i);
            if (values[i] == SKIP && !entry.padding() && entry.length() > 0)
            {
                return true;
            }
        }
        return false;
    }

    public List<Integer> toList()
    {
        final Integer[] list = new Integer[values.length];
        for (int i = 0; i < values.length; i++)
        {
            list[i] = (int)values[i];
        }
        return List.of(list);
    }

    /** Each piece's priority: the highest of the files holding its bytes (padding files do not count); 0 = skip. */
    public byte[] piecePriorities(final Metainfo metainfo)
    {
        final byte[] pieces = new byte[metainfo.pieceCount()];
        final List<FileEntry> files = metainfo.files();
        for (int i = 0; i < files.size(); i++)
        {
            final FileEntry file = files.get(i);
            if (file.padding() || file.length() == 0 || values[i] == SKIP)
            {
                continue;
            }
            final int last = (int)((file.end() - 1) / metainfo.pieceLength());
            for (int piece = (int)(file.offset() / metainfo.pieceLength()); piece <= last; piece++)
            {
                pieces[piece] = (byte)Math.max(pieces[piece], values[i]);
            }
        }
        return pieces;
    }

    /** @return the bytes of piece {@code piece} that lie in wanted files (what progress counts). */
    public long wantedBytesIn(final Metainfo metainfo, final int piece)
    {
        final long start = (long)piece * metainfo.pieceLength();
        final long end = start + metainfo.pieceSize(piece);
        long wanted = 0;
        final List<FileEntry> files = metainfo.files();
        // files before the one holding the piece's first byte end at or before it
        for (int i = metainfo.layout().fileAt(start); i < files.size() && files.get(i).offset() < end; i++)
        {
            final FileEntry file = files.get(i);
            if (!file.padding() && values[i] != SKIP && file.end() > start)
            {
                wanted += Math.min(end, file.end()) - Math.max(start, file.offset());
            }
        }
        return wanted;
    }

    /** @return the bytes of the wanted files (libtorrent's total_wanted). */
    public long wantedLength(final Metainfo metainfo)
    {
        long wanted = 0;
        for (int i = 0; i < values.length; i++)
        {
            final FileEntry file = metainfo.files().get(i);
            if (!file.padding() && values[i] != SKIP)
            {
                wanted += file.length();
            }
        }
        return wanted;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof FilePriorities other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString()
    {
        return Arrays.toString(values);
    }
}
