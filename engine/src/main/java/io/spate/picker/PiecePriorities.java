package io.spate.picker;

import java.util.Arrays;

/**
 * Each piece's priority as the files' priorities give it (libtorrent's 0..7: 0 skips the piece, higher is picked
 * first) and how many wanted pieces we still lack at each level: what the picker needs to rank new pieces and to
 * know when the torrent is finished. Owned by the picker's thread.
 */
final class PiecePriorities
{
    private final int pieceCount;
    /** Pieces of priority 0: never picked, not counted as missing. */
    private final Bitfield skipped;
    /** Each piece's priority, or null while every piece has {@link PiecePicker#DEFAULT_PRIORITY}. */
    private byte[] levels;
    /** Wanted pieces we lack, by priority (index 0 unused). */
    private final int[] missingAt = new int[PiecePicker.MAX_PRIORITY + 1];
    private int wantedMissing;

    PiecePriorities(final int pieceCount)
    {
        this.pieceCount = pieceCount;
        this.skipped = new Bitfield(pieceCount);
        this.wantedMissing = pieceCount;
        this.missingAt[PiecePicker.DEFAULT_PRIORITY] = pieceCount;
    }

    int of(final int piece)
    {
        return levels == null ? PiecePicker.DEFAULT_PRIORITY : levels[piece];
    }

    boolean skipped(final int piece)
    {
        return skipped.get(piece);
    }

    /** The skipped pieces, read-only by contract (the endgame and the candidate masks read their words). */
    Bitfield skippedSet()
    {
        return skipped;
    }

    int wantedMissing()
    {
        return wantedMissing;
    }

    boolean anyMissingAt(final int level)
    {
        return missingAt[level] > 0;
    }

    /** Whether the wanted pieces we lack span more than one priority (new pieces are then picked level by level). */
    boolean mixed()
    {
        if (levels == null)
        {
            return false;
        }
        int seen = 0;
        for (int level = 1; level <= PiecePicker.MAX_PRIORITY; level++)
        {
            if (missingAt[level] > 0)
            {
                seen++;
            }
        }
        return seen > 1;
    }

    /** We now have the piece (not had before): a wanted one is no longer missing. */
    void had(final int piece)
    {
        if (!skipped.get(piece))
        {
            missingAt[of(piece)]--;
            wantedMissing--;
        }
    }

    /**
     * Sets the piece's priority.
     *
     * @param had whether we have the piece (then only the level changes, nothing is missing)
     * @return whether a piece we lack went from wanted to skipped or back
     */
    boolean set(final int piece, final int next, final boolean had)
    {
        if (next < 0 || next > PiecePicker.MAX_PRIORITY)
        {
            throw new IllegalArgumentException("piece " + piece + ": priority " + next + " is not 0.." +
                PiecePicker.MAX_PRIORITY);
        }
        if (levels == null)
        {
            levels = new byte[pieceCount];
            Arrays.fill(levels, (byte)PiecePicker.DEFAULT_PRIORITY);
        }
        final boolean wasWanted = !skipped.get(piece);
        if (!had)
        {
            if (wasWanted)
            {
                missingAt[levels[piece]]--;
                wantedMissing--;
            }
            if (next > 0)
            {
                missingAt[next]++;
                wantedMissing++;
            }
        }
        if (next > 0)
        {
            skipped.clear(piece);
        }
        else
        {
            skipped.set(piece);
        }
        levels[piece] = (byte)next;
        return !had && wasWanted != (next > 0);
    }
}
