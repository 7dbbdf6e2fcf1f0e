package io.spate.dht;

/**
 * Query timeouts adapted to measured round trips, as TCP's retransmission timer (RFC 6298): a smoothed RTT and its
 * mean deviation, timeout = srtt + 4 * rttvar, kept within [min, max]. Before any sample the timeout is the initial
 * one. A loopback swarm then waits a fraction of what a transatlantic node is given.
 */
public final class RttEstimator
{
    private final long minNs;
    private final long maxNs;
    private final long initialNs;
    private double srttNs;
    private double rttvarNs;
    private boolean sampled;

    public RttEstimator(final long minNs, final long initialNs, final long maxNs)
    {
        if (minNs <= 0 || minNs > initialNs || initialNs > maxNs)
        {
            throw new IllegalArgumentException("need 0 < min <= initial <= max");
        }
        this.minNs = minNs;
        this.initialNs = initialNs;
        this.maxNs = maxNs;
    }

    /** Records one round trip. */
    public void sample(final long rttNs)
    {
        if (!sampled)
        {
            srttNs = rttNs;
            rttvarNs = rttNs / 2.0;
            sampled = true;
            return;
        }
        rttvarNs = 0.75 * rttvarNs + 0.25 * Math.abs(srttNs - rttNs);
        srttNs = 0.875 * srttNs + 0.125 * rttNs;
    }

    /** @return how long to wait for an answer to a query sent now. */
    public long timeoutNs()
    {
        if (!sampled)
        {
            return initialNs;
        }
        return Math.max(minNs, Math.min(maxNs, (long)(srttNs + 4 * rttvarNs)));
    }

    /** @return the smoothed round trip, or -1 before any sample. */
    public long smoothedNs()
    {
        return sampled ? (long)srttNs : -1;
    }
}
