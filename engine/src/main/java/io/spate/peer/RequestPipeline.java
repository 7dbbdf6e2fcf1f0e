package io.spate.peer;

import io.spate.picker.PiecePicker;
import io.spate.wire.MessageType;

/**
 * The blocks we have asked one peer for and how deep to keep that pipeline: requests in flight in order, slow start
 * ({@link SlowStart}: one more request per block received until the rate stops growing, as libtorrent's), snubbing (a peer that sends nothing for long although
 * asked gets one request at a time). Owned by its connection, whose REQUEST and CANCEL frames it sends.
 */
public final class RequestPipeline
{
    private final PeerConnection connection;
    private final InFlightRequests inFlight;
    private final PeerTraffic rates;
    private final int capacity;
    private boolean snubbed;
    private final SlowStart slowStart =
        new SlowStart(RequestQueueSizer.DEFAULT.minDepth(), RequestQueueSizer.DEFAULT.maxDepth());
    private long lastBlockNs;

    RequestPipeline(final PeerConnection connection, final int capacity, final PeerTraffic rates, final long nowNs)
    {
        this.connection = connection;
        this.inFlight = new InFlightRequests(capacity);
        this.rates = rates;
        this.capacity = inFlight.capacity();
        this.lastBlockNs = nowNs;
    }

    public int size()
    {
        return inFlight.size();
    }

    /** @return the piece of the i-th oldest request. */
    public int piece(final int i)
    {
        return inFlight.piece(i);
    }

    public int block(final int i)
    {
        return inFlight.block(i);
    }

    public boolean contains(final int piece, final int block)
    {
        return inFlight.contains(piece, block);
    }

    /** @return when the oldest outstanding request was sent, or Long.MAX_VALUE when none. */
    public long oldestSentAtNs()
    {
        return inFlight.oldestSentAtNs();
    }

    /** @return when the request last removed was sent (the round trip of a block that just arrived). */
    public long removedSentAtNs()
    {
        return inFlight.removedSentAtNs();
    }

    /** Requests to keep in flight: what the rate calls for, within what the peer takes; one while it snubs us. */
    public int depth(final RequestQueueSizer sizer, final long downloadRate, final int peerRequestQueue)
    {
        return snubbed ? 1 : Math.min(Math.min(peerRequestQueue, capacity),
            Math.max(slowStart.depth(), sizer.targetQueueDepth(downloadRate)));
    }

    /** Sends REQUEST for a block and remembers it (unless the connection is closed or the pipeline full). */
    public void request(final int piece, final int block, final int length, final long nowNs)
    {
        if (connection.state() != PeerConnection.State.CLOSED && inFlight.add(piece, block, nowNs))
        {
            connection.sendBlockRef(MessageType.REQUEST, piece, block * PiecePicker.BLOCK_LENGTH, length);
        }
    }

    /** Sends CANCEL for a block we requested and forgets the request. @return false when it was not in flight. */
    public boolean cancel(final int piece, final int block, final int length)
    {
        if (!inFlight.remove(piece, block))
        {
            return false;
        }
        connection.sendBlockRef(MessageType.CANCEL, piece, block * PiecePicker.BLOCK_LENGTH, length);
        return true;
    }

    /** Forgets a request without a message (rejected, given up on). @return false when it was not in flight. */
    public boolean drop(final int piece, final int block)
    {
        return inFlight.remove(piece, block);
    }

    /** Forgets every request (choked, closed, snubbing); the caller gives the blocks back to the picker first. */
    public void clear()
    {
        inFlight.clear();
    }

    /**
     * A block we asked for arrived: the request is answered and the peer is not snubbing us.
     *
     * @return false when it was not in flight (late after a cancel or a choke, or never asked for).
     */
    public boolean arrived(final int piece, final int block, final int length, final long nowNs)
    {
        if (!inFlight.remove(piece, block))
        {
            return false;
        }
        rates.downloaded(length);
        lastBlockNs = nowNs;
        snubbed = false;
        slowStart.blockReceived();
        return true;
    }

    /** @return when the peer last sent a block we asked for (or connected). */
    public long lastBlockNs()
    {
        return lastBlockNs;
    }

    /** The peer sent nothing for long although asked: one request at a time, and slow start from the bottom. */
    public void snub()
    {
        snubbed = true;
        slowStart.end();
    }

    /** The once-a-second sample of the peer's rate: slow start ends when it stops growing. */
    public void rateSampled(final long downloadRate)
    {
        if (inFlight.size() > 0)
        {
            slowStart.rateSampled(downloadRate);
        }
    }

    public boolean inSlowStart()
    {
        return slowStart.active();
    }

    public boolean snubbed()
    {
        return snubbed;
    }
}
