package io.spate.peer;

/**
 * Slow start of one peer's request pipeline, as libtorrent's: while it lasts, each block received adds one request
 * to the depth, so the depth doubles every round trip; it ends once the peer's download rate, sampled once a second,
 * stops growing by at least {@link #GROWTH} (the pipe is full: more requests would only queue at the peer), and from
 * then on the depth is what the measured rate calls for. A snub ends it too. Pure: no clock, no allocation.
 */
public final class SlowStart
{
    /** The rate must grow by this factor from one second to the next for slow start to go on. */
    static final double GROWTH = 1.10;

    private final int minDepth;
    private final int maxDepth;
    private int depth;
    private boolean active = true;
    private long lastRate;

    public SlowStart(final int minDepth, final int maxDepth)
    {
        this.minDepth = minDepth;
        this.maxDepth = maxDepth;
        this.depth = minDepth;
    }

    public boolean active()
    {
        return active;
    }

    /** @return the depth slow start asks for: 0 once it has ended (the rate decides). */
    public int depth()
    {
        return active ? depth : 0;
    }

    /** A block arrived: one more request in flight. */
    public void blockReceived()
    {
        if (active && depth < maxDepth)
        {
            depth++;
        }
    }

    /** The once-a-second rate sample of a peer we are downloading from. */
    public void rateSampled(final long bytesPerSecond)
    {
        if (active && bytesPerSecond > 0 && lastRate > 0 && bytesPerSecond < lastRate * GROWTH)
        {
            active = false;
        }
        lastRate = bytesPerSecond;
    }

    /** The peer snubbed us: no slow start until it sends again (the rate decides, from one request). */
    public void end()
    {
        active = false;
        depth = minDepth;
    }
}
