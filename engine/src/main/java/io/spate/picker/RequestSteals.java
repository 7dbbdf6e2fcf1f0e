package io.spate.picker;

import java.util.Arrays;

/**
 * Requests a peer with room and no fresh block for us may take over from other peers: the requests waiting at the
 * back of longer queues (the ones their peer will answer last), moved, not duplicated: the caller cancels each at
 * the peer it came from, so the block stays requested once and is sent once unless the sender had already started
 * it. anacrolix/torrent moves requests the same way ("steals" the most recently requested, never from a peer left
 * with fewer requests than the taker).
 *
 * <p>Why: the blocks a leecher lacks sit in the 1 s queues of busy peers while a peer that has them and unchokes us
 * idles (perf-results/swarm-lab/tail/NOTES.md, section 1: "unchoked peers ask nothing"). Duplicating them instead
 * regained the link time but sent 1-16 % of the bytes twice and no data sooner (same NOTES, section 2). Moving pays
 * only when the sender has not yet written the block to its socket, so it works together with the uploader's
 * {@link io.spate.peer.SendBufferSizer}: alone it still sent 5-10 % twice; with it the lab's transfer was 0.914 of
 * main's (same NOTES, section 2). So the caller offers only the queues of Spate peers on a local network
 * ({@link io.spate.peer.LocalNetwork}), whose send buffers are sized.
 *
 * <p>Pure: the queues are read through {@link Queues}; the time a request waits is estimated from its queue's rate.
 */
public final class RequestSteals
{
    /**
     * A request is taken over only with at least this long of its queue ahead of it (at that peer's rate): the back
     * half of a 1 s queue (peer/RequestQueueSizer), not yet under way.
     */
    public static final long MIN_WAIT_NS = 500_000_000L;
    /** A queue keeps at least this many more requests than the taker will hold: no ping-pong between equals. */
    public static final int MIN_LEAD = 2;

    /** Other peers' request queues, oldest request first. */
    public interface Queues
    {
        int count();

        int size(int queue);

        int piece(int queue, int index);

        int block(int queue, int index);

        /** Bytes per second the queue's peer sends us (0: unknown, every request in it counts as waiting long). */
        long rate(int queue);
    }

    private final PiecePicker picker;
    /** Per queue: how many requests this call took from it (reused). */
    private int[] taken = new int[16];

    public RequestSteals(final PiecePicker picker)
    {
        this.picker = picker;
    }

    /**
     * Adds requests to take over to {@code pieces}/{@code blocks} from index {@code start} up to {@code limit}, the
     * queue each comes from to {@code from}; returns the new count. The picker is not changed (a move keeps the
     * block's one requester); the caller cancels each at its queue's peer and requests it from this one. Visits the
     * queues' backs in turn, taking only requests that wait at least {@link #MIN_WAIT_NS}, from a queue still
     * {@link #MIN_LEAD} longer than what the taker will hold, for blocks the peer has, that have exactly one
     * requester and are not in flight at this peer.
     */
    public int pick(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int start,
        final int limit,
        final int[] pieces,
        final int[] blocks,
        final int[] from,
        final PiecePicker.BlockFilter requestedByThisPeer,
        final Queues queues,
        final int peerInFlight)
    {
        final int n = queues.count();
        if (taken.length < n)
        {
            taken = new int[Math.max(n, taken.length * 2)];
        }
        Arrays.fill(taken, 0, n, 0);
        int count = start;
        int deepest = 0; // how far from the back any queue still has requests that wait long
        for (int q = 0; q < n; q++)
        {
            deepest = Math.max(deepest, queues.size(q) - firstWaitingLong(queues.rate(q)));
        }
        for (int back = 0; back < deepest && count < limit; back++)
        {
            for (int q = 0; q < n && count < limit; q++)
            {
                final int index = queues.size(q) - 1 - back;
                // after the move the queue must still hold MIN_LEAD more than the taker
                if (index < firstWaitingLong(queues.rate(q)) ||
                    queues.size(q) - taken[q] - 1 < peerInFlight + count + 1 + MIN_LEAD)
                {
                    continue;
                }
                final int piece = queues.piece(q, index);
                final int block = queues.block(q, index);
                if ((peerIsSeed || peer.get(piece)) && picker.requesters(piece, block) == 1 &&
                    !requestedByThisPeer.test(piece, block))
                {
                    pieces[count] = piece;
                    blocks[count] = block;
                    from[count] = q;
                    taken[q]++;
                    count++;
                }
            }
        }
        return count;
    }

    /** The first index in a queue at this rate whose request waits {@link #MIN_WAIT_NS} behind those ahead of it. */
    static int firstWaitingLong(final long rateBytesPerSecond)
    {
        if (rateBytesPerSecond <= 0)
        {
            return 0;
        }
        final double blocks = Math.ceil(rateBytesPerSecond * (MIN_WAIT_NS / 1e9) / PiecePicker.BLOCK_LENGTH);
        return (int)Math.min(Integer.MAX_VALUE, blocks);
    }
}
