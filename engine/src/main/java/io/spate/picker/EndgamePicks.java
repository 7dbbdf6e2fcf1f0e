package io.spate.picker;

/**
 * Endgame picks: once every block we lack is requested, blocks already requested from other peers are handed out
 * again, the least duplicated first (one requester, then two, ...), never one this peer already has requested and
 * never the same block twice in one call, and never to more than {@code maxRequesters} peers at once. Each pass
 * stops as soon as the limit is met.
 */
final class EndgamePicks
{
    private EndgamePicks()
    {
    }

    static int pick(
        final StartedPieces started,
        final Bitfield peer,
        final boolean peerIsSeed,
        final int limit,
        final int[] pieces,
        final int[] blocks,
        final PiecePicker.BlockFilter requestedByThisPeer,
        final int maxRequesters)
    {
        // least duplicated first: blocks with one requester, then two, ...; each pass stops once the limit is met
        int count = 0;
        boolean higher = true;
        final int levels = Math.min(maxRequesters, StartedPieces.MAX_REQUESTERS);
        for (int level = 1; level < levels && count < limit && higher; level++)
        {
            higher = false;
            final int before = count;
            for (int slot = 0, n = started.capacity(); slot < n && count < limit; slot++)
            {
                final int piece = started.pieceOfSlot(slot);
                if (piece < 0 || !(peerIsSeed || peer.get(piece)))
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
                    }
                }
            }
        }
        return count;
    }

    /** Whether (piece, block) is among the first {@code count} picks of this call; only in endgame's later passes. */
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
