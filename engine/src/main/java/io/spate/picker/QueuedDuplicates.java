package io.spate.picker;

/**
 * Duplicates for a peer with room in its queue and no fresh block for us: blocks that wait deep in other peers'
 * request queues, taken from the back of those queues (the requests that peer will answer last), each block at most
 * two peers at once. Whichever copy arrives first counts and the other is cancelled; since a peer answers its
 * queue in order, a request at the back is seldom under way when the cancel reaches it, so little is sent twice.
 *
 * <p>Why: near the end of a download the blocks a leecher lacks all sit in the 1 s queues of busy peers, while a
 * peer that has them and unchokes us idles: nobody asks it for anything (perf-results/swarm-lab/utilization/NOTES.md,
 * section 3: "unchoked peers ask nothing", 23 of 51 leecher-seconds of the last 20 %). libtorrent gives such a peer
 * one busy block, and only when it has nothing in flight; handing out any block requested once (oldest first,
 * measured in perf-results/swarm-lab/tail/NOTES.md) wasted most of the duplicates: those were already on the wire.
 *
 * <p>Pure: the queues are read through {@link Queues}, the time a block waits is estimated from the queue's rate.
 */
public final class QueuedDuplicates
{
    /** Each block to at most this many peers at once: one duplicate. */
    public static final int MAX_REQUESTERS = 2;
    /**
     * A request is worth duplicating when at least this long of its queue is ahead of it (at that peer's rate): the
     * back half of a 1 s queue (peer/RequestQueueSizer), not yet under way.
     */
    public static final long MIN_WAIT_NS = 500_000_000L;
    /**
     * Duplicates go only to a peer with fewer of our requests than this, and fill it up to this: a handful delivered
     * per round trip beats their originals, a full queue of them would not (the later ones lose the race and both
     * copies travel: perf-results/swarm-lab/tail/NOTES.md, ab-qdup, 1.01-1.11 of the needed bytes uploaded).
     * libtorrent's restraint is one busy block for a peer with nothing in flight.
     */
    public static final int MAX_IN_FLIGHT = 4;

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

    public QueuedDuplicates(final PiecePicker picker)
    {
        this.picker = picker;
    }

    /**
     * Adds duplicates for a peer with {@code peerInFlight} requests of ours to {@code pieces}/{@code blocks} from
     * index {@code start} up to {@code limit} (and while the peer would hold fewer than {@link #MAX_IN_FLIGHT}) and
     * marks them requested in the picker; returns the new count. Visits the queues' backs in turn (the last request
     * of each, then the one before, ...), skipping blocks the peer lacks, has in flight, or that are in another
     * queue already or received, and the requests of each queue that wait less than {@link #MIN_WAIT_NS}.
     */
    public int pick(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int start,
        final int limit,
        final int[] pieces,
        final int[] blocks,
        final PiecePicker.BlockFilter requestedByThisPeer,
        final Queues queues,
        final int peerInFlight)
    {
        final int end = Math.min(limit, MAX_IN_FLIGHT - peerInFlight);
        int count = start;
        int deepest = 0; // how far from the back any queue still has requests that wait long
        for (int q = 0; q < queues.count(); q++)
        {
            deepest = Math.max(deepest, queues.size(q) - firstWaitingLong(queues.rate(q)));
        }
        for (int back = 0; back < deepest && count < end; back++)
        {
            for (int q = 0; q < queues.count() && count < end; q++)
            {
                final int index = queues.size(q) - 1 - back;
                if (index < firstWaitingLong(queues.rate(q)))
                {
                    continue;
                }
                final int piece = queues.piece(q, index);
                final int block = queues.block(q, index);
                // one requester: the queue's peer alone, so not this one, unless the picker lost count (a reset piece)
                if ((peerIsSeed || peer.get(piece)) && picker.requesters(piece, block) == 1 &&
                    !requestedByThisPeer.test(piece, block) && picker.requestDuplicate(piece, block, MAX_REQUESTERS))
                {
                    pieces[count] = piece;
                    blocks[count] = block;
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
