package io.spate.peer;

import io.spate.picker.PiecePicker;

/**
 * How many block requests to keep in flight to one peer: enough to cover {@code queueTime} of transfer at the peer's
 * measured download rate, so the pipe never drains while the next requests travel, clamped to {@code [min, max]}.
 * A snubbed peer gets one request at a time. Immutable and pure.
 */
public final class RequestQueueSizer
{
    /**
     * Time of transfer the queue should cover: 1 s, a third of libtorrent's request_queue_time. A request waits
     * behind the whole queue (the peer serves them in order), so the queue time is the round trip: blocks committed
     * to one peer for 3 s cannot go to one that has just turned idle, and the leechers that fall behind hold nothing
     * the others have not already requested elsewhere. One second is still many network round trips. In the swarm
     * lab (perf-results/swarm-lab/ab-queue-seedrr) 1 s took the transfer from 34.7 to 33.5 s (medians of 3, every
     * 1 s run faster than every 3 s run). The system property {@code spate.requests.queue.ms} overrides it (for
     * measuring).
     */
    public static final long DEFAULT_QUEUE_TIME_NS = Long.getLong("spate.requests.queue.ms", 1_000) * 1_000_000L;
    /** Floor: a fresh connection has no rate yet, and loopback/LAN peers fill 16 blocks in microseconds. */
    public static final int DEFAULT_MIN_DEPTH = 16;
    /**
     * Ceiling: libtorrent's max_out_request_queue default is 500 (8 MiB of 16 KiB blocks in flight); the system
     * property {@code spate.requests.max} overrides it (for measuring).
     */
    public static final int DEFAULT_MAX_DEPTH = Math.max(DEFAULT_MIN_DEPTH, Integer.getInteger("spate.requests.max", 500));
    /** The defaults: 1 s of transfer, between 16 and 500 requests. */
    public static final RequestQueueSizer DEFAULT =
        new RequestQueueSizer(DEFAULT_QUEUE_TIME_NS, DEFAULT_MIN_DEPTH, DEFAULT_MAX_DEPTH);

    private final double blocksPerBytePerSecond;
    private final int minDepth;
    private final int maxDepth;

    public RequestQueueSizer(final long queueTimeNs, final int minDepth, final int maxDepth)
    {
        if (queueTimeNs <= 0 || minDepth < 1 || maxDepth < minDepth)
        {
            throw new IllegalArgumentException("queue time " + queueTimeNs + " ns, depth " + minDepth + ".." +
                maxDepth);
        }
        this.blocksPerBytePerSecond = queueTimeNs / 1e9 / PiecePicker.BLOCK_LENGTH;
        this.minDepth = minDepth;
        this.maxDepth = maxDepth;
    }

    /** Requests to keep in flight for a peer sending at {@code downloadRateBytesPerSec}. */
    public int targetQueueDepth(final long downloadRateBytesPerSec)
    {
        // (int) saturates at Integer.MAX_VALUE, and int min/max compile to conditional moves: no branch that C2
        // would compile as a trap while rates are low and throw away once a peer's rate fills the queue
        final int depth = (int)(Math.max(0, downloadRateBytesPerSec) * blocksPerBytePerSecond);
        return Math.min(maxDepth, Math.max(minDepth, depth));
    }

    /** As {@link #targetQueueDepth(long)}, but 1 for a snubbed peer (as libtorrent does). */
    public int targetQueueDepth(final long downloadRateBytesPerSec, final boolean snubbed)
    {
        return snubbed ? 1 : targetQueueDepth(downloadRateBytesPerSec);
    }

    public int minDepth()
    {
        return minDepth;
    }

    public int maxDepth()
    {
        return maxDepth;
    }
}
