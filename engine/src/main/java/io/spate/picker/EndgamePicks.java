package io.spate.picker;

/**
 * Endgame picks: once every block we lack is requested, blocks already requested from other peers are handed out
 * again, the least duplicated first (one requester, then two, ...), never one this peer already has requested,
 * never the same block twice in one call, and never to more than {@code maxRequesters} peers at once.
 *
 * <p>Each pass starts where the previous call's last pick was and wraps around, so successive calls do not rescan
 * the pieces already duplicated; the first pass visits only pieces with blocks requested from exactly one peer, and
 * is skipped outright when there are none. Each pass stops as soon as the limit is met.
 */
final class EndgamePicks
{
    private final StartedPieces started;
    /** Pieces of priority 0: a started one that was skipped is left to the requests it has. */
    private final Bitfield skipped;
    private int cursor;

    EndgamePicks(final StartedPieces started, final Bitfield skipped)
    {
        this.started = started;
        this.skipped = skipped;
    }

    int pick(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int limit,
        final int[] pieces,
        final int[] blocks,
        final PiecePicker.BlockFilter requestedByThisPeer,
        final int maxRequesters)
    {
        int count = 0;
        boolean higher = true;
        final int levels = Math.min(maxRequesters, StartedPieces.MAX_REQUESTERS);
        final int n = started.capacity();
        for (int level = 1; level < levels && count < limit && higher; level++)
        {
            higher = level == 1; // the first pass skips pieces, so it cannot tell whether higher levels exist
            if (level == 1 && started.totalSingles() == 0)
            {
                continue;
            }
            final int before = count;
            final int from = cursor < n ? cursor : 0;
            for (int k = 0; k < n && count < limit; k++)
            {
                final int slot = from + k < n ? from + k : from + k - n;
                final int piece = started.pieceOfSlot(slot);
                if (piece < 0 || (level == 1 && started.singles(slot) == 0) || !(peerIsSeed || peer.get(piece)) ||
                    skipped.get(piece))
                {
                    continue;
                }
                for (int b = 0, nb = started.blockCount(slot); b < nb && count < limit; b++)
                {
                    final byte s = started.state(slot, b);
                    if (s == StartedPieces.RECEIVED || s < level)
                    {
                        continue;
                    }
                    if (s > level)
                    {
                        higher = true;
                    }
                    else if (!requestedByThisPeer.test(piece, b) && !pickedBefore(piece, b, pieces, blocks, before))
                    {
                        started.request(slot, b);
                        pieces[count] = piece;
                        blocks[count] = b;
                        count++;
                        cursor = slot;
                    }
                }
            }
        }
        return count;
    }

    /** Whether (piece, block) is among the first {@code count} picks of this call; only in later passes. */
    private static boolean pickedBefore(final int piece, final int block, final int[] pieces, final int[] blocks,
        final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (pieces[i] == piece && blocks[i] == block)
            {
                return true;
            }
        }
        return false;
    }
}
