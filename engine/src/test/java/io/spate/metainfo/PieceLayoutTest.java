package io.spate.metainfo;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Piece spans onto file extents: spans crossing many files, 0-byte files never visited, checked byte by byte. */
class PieceLayoutTest
{
    private record Extent(int file, long fileOffset, int length, int spanOffset)
    {
    }

    @Test
    void pieceSpanningManyFilesAndZeroByteFiles()
    {
        // lengths: 0, 3, 0, 0, 5, 1, 0, 7 (total 16), piece length 8
        final PieceLayout layout = layout(8, 0, 3, 0, 0, 5, 1, 0, 7);
        assertEquals(List.of(new Extent(1, 0, 3, 0), new Extent(4, 0, 5, 3)), extents(layout, 0, 0, 8));
        assertEquals(List.of(new Extent(5, 0, 1, 0), new Extent(7, 0, 7, 1)), extents(layout, 1, 0, 8));
        assertEquals(List.of(new Extent(4, 4, 1, 0), new Extent(5, 0, 1, 1), new Extent(7, 0, 2, 2)),
            extents(layout, 0, 7, 4));
        assertEquals(List.of(), extents(layout, 1, 3, 0));
        assertEquals(8, layout.fileCount());
    }

    @Test
    void spanPastTheEndIsRefused()
    {
        final PieceLayout layout = layout(8, 3, 5, 1);
        assertThrows(IndexOutOfBoundsException.class,
            () -> layout.forEachExtent(1, 0, 2, PieceLayoutTest::add, null, null));
        assertThrows(IndexOutOfBoundsException.class,
            () -> layout.forEachExtent(-1L, 1, PieceLayoutTest::add, null, null));
    }

    @Test
    void visitorDoingLessThanItsExtentEndsTheWalk()
    {
        final PieceLayout layout = layout(8, 3, 5, 1);
        final List<Extent> seen = new ArrayList<>();
        final int done = layout.forEachExtent(0, 1, 7, (out, unused, f, o, l, s) ->
        {
            out.add(new Extent(f, o, l, s));
            return f == 1 ? 2 : l; // a socket that took 2 of file 1's 4 bytes
        }, seen, null);
        assertEquals(4, done);
        assertEquals(List.of(new Extent(0, 1, 2, 0), new Extent(1, 0, 5, 2)), seen);
    }

    @Property(tries = 300)
    void extentsCoverTheSpanExactlyAsAByteByByteMapDoes(
        @ForAll @Size(min = 1, max = 12) final List<@IntRange(min = 0, max = 40) Integer> lengths,
        @ForAll @IntRange(min = 1, max = 16) final int pieceLength,
        @ForAll @IntRange(min = 0, max = 1000) final int startSeed,
        @ForAll @IntRange(min = 0, max = 1000) final int lengthSeed)
    {
        final long[] asLongs = lengths.stream().mapToLong(Integer::longValue).toArray();
        final long total = lengths.stream().mapToLong(Integer::longValue).sum();
        if (total == 0)
        {
            return;
        }
        final PieceLayout layout = layout(pieceLength, asLongs);
        final long start = startSeed % total;
        final int length = (int)(lengthSeed % (total - start + 1));

        // expected: walk byte by byte through the files
        final List<Extent> expected = new ArrayList<>();
        long fileStart = 0;
        for (int f = 0; f < asLongs.length; f++)
        {
            final long from = Math.max(start, fileStart);
            final long to = Math.min(start + length, fileStart + asLongs[f]);
            if (from < to)
            {
                expected.add(new Extent(f, from - fileStart, (int)(to - from), (int)(from - start)));
            }
            fileStart += asLongs[f];
        }
        final List<Extent> actual = new ArrayList<>();
        assertEquals(length, layout.forEachExtent(start, length, PieceLayoutTest::add, actual, null));
        assertEquals(expected, actual);
    }

    private static List<Extent> extents(final PieceLayout layout, final int piece, final int begin, final int length)
    {
        final List<Extent> out = new ArrayList<>();
        layout.forEachExtent(piece, begin, length, PieceLayoutTest::add, out, null);
        return out;
    }

    private static int add(final List<Extent> out, final Object unused, final int file, final long fileOffset,
        final int length, final int spanOffset)
    {
        out.add(new Extent(file, fileOffset, length, spanOffset));
        return length;
    }

    private static PieceLayout layout(final int pieceLength, final long... lengths)
    {
        return new PieceLayout(lengths, pieceLength);
    }
}
