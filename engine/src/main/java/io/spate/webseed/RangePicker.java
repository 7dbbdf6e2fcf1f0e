package io.spate.webseed;

import io.spate.metainfo.Metainfo;
import io.spate.picker.PiecePicker;

import java.util.concurrent.Executor;

/**
 * Turns the picker's blocks into a web seed's ranges, on the agent's thread. The picker hands the seed blocks as to a
 * peer with every piece; the first run of consecutive ones is kept (the rest go back at once) and carried on into the
 * following pieces while the picker can start them whole: one Range request for many pieces, as BEP 19 advises, up
 * to {@link WebSeeds#MAX_FETCH_BYTES} and {@link Fetch#MAX_PIECES} pieces, and to an eighth of what is missing if
 * that is more than a piece (a small torrent is not all in flight from one seed at once: endgame would begin at once,
 * and peers would fetch again what the seed is still sending). In endgame a seed gets blocks only with nothing in
 * flight, as a peer.
 */
final class RangePicker
{
    private static final int MAX_FETCH_BLOCKS = WebSeeds.MAX_FETCH_BYTES / PiecePicker.BLOCK_LENGTH;
    private static final int MISSING_SHARE = 8;
    /** A seed is picked for in endgame only with nothing in flight, so none of its blocks is in flight. */
    private static final PiecePicker.BlockFilter NONE_IN_FLIGHT = (piece, block) -> false;

    private final Metainfo metainfo;
    private final PiecePicker picker;
    private final int[] pieces = new int[MAX_FETCH_BLOCKS];
    private final int[] blocks = new int[MAX_FETCH_BLOCKS];
    private final int[] morePieces = new int[MAX_FETCH_BLOCKS];
    private final int[] moreBlocks = new int[MAX_FETCH_BLOCKS];

    RangePicker(final Metainfo metainfo, final PiecePicker picker)
    {
        this.metainfo = metainfo;
        this.picker = picker;
    }

    /** @return the seed's next fetch: a run of consecutive blocks, carried on into fresh pieces; null if none. */
    Fetch next(final WebSeeds owner, final WebSeed seed, final long nowNs, final Executor toAgent)
    {
        final long missing = (long)picker.missingPieces() * metainfo.pieceLength();
        final int perPiece = picker.blocksInPiece(0);
        final long share = Math.min(MAX_FETCH_BLOCKS, missing / MISSING_SHARE / PiecePicker.BLOCK_LENGTH);
        // whole pieces: a range that stops inside a piece leaves a sliver for a request of its own
        final int maxBlocks = perPiece >= MAX_FETCH_BLOCKS ? MAX_FETCH_BLOCKS :
            (int)Math.max(perPiece, share / perPiece * perPiece);
        final int picked = picker.pick(null, true, Math.min(maxBlocks, picker.blocksInPiece(0)), pieces,
            blocks, NONE_IN_FLIGHT, seed.inFlightBlocks());
        if (picked == 0)
        {
            return null;
        }
        int run = 1;
        while (run < picked && follows(pieces[run - 1], blocks[run - 1], pieces[run], blocks[run]))
        {
            run++;
        }
        abandon(pieces, blocks, run, picked);
        while (run < maxBlocks && blocks[run - 1] == picker.blocksInPiece(pieces[run - 1]) - 1 &&
            pieces[run - 1] + 1 < picker.pieceCount() && pieces[run - 1] + 1 - pieces[0] < Fetch.MAX_PIECES)
        {
            final int next = pieces[run - 1] + 1;
            final int more = picker.pickPiece(next, maxBlocks - run, morePieces, moreBlocks);
            int taken = 0;
            while (taken < more && moreBlocks[taken] == taken)
            {
                pieces[run] = next;
                blocks[run] = taken;
                run++;
                taken++;
            }
            abandon(morePieces, moreBlocks, taken, more);
            if (taken == 0 || taken < picker.blocksInPiece(next))
            {
                break;
            }
        }
        int length = 0;
        for (int i = 0; i < run; i++)
        {
            length += picker.blockLength(pieces[i], blocks[i]);
        }
        final long offset = (long)pieces[0] * metainfo.pieceLength() + (long)blocks[0] * PiecePicker.BLOCK_LENGTH;
        return new Fetch(owner, seed, pieces[0], blocks[0], pieces[run - 1], run, offset, length, nowNs, toAgent);
    }

    private boolean follows(final int piece, final int block, final int nextPiece, final int nextBlock)
    {
        return nextPiece == piece && nextBlock == block + 1 ||
            nextPiece == piece + 1 && nextBlock == 0 && block == picker.blocksInPiece(piece) - 1;
    }

    private void abandon(final int[] ps, final int[] bs, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            picker.requestAbandoned(ps[i], bs[i]);
        }
    }

    /** A fetch that will deliver no more: the blocks it did not hand on go back to the picker (not of pieces reset). */
    void giveBack(final Fetch fetch)
    {
        int piece = fetch.nextPiece;
        int block = fetch.nextBlock;
        for (int i = fetch.delivered; i < fetch.blockCount; i++)
        {
            if (!fetch.stale(piece))
            {
                picker.requestAbandoned(piece, block);
            }
            if (++block == picker.blocksInPiece(piece))
            {
                piece++;
                block = 0;
            }
        }
    }
}
