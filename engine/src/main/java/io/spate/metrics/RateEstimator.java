package io.spate.metrics;

/**
 * Bytes per second over a sliding window, for one direction of one peer (or a whole torrent). Time comes in as
 * nanoseconds from the caller's cached clock; the window is a ring of buckets, so recording and reading allocate
 * nothing and cost O(1) and O(buckets). Single-threaded: owned by the agent that records into it.
 *
 * <p>The rate divides the bytes in the live buckets by the time they cover: the whole buckets behind the current
 * one plus the elapsed part of the current one, but never more than the time since {@link #start} (or the first
 * record), and never less than one bucket, so a young estimator is neither diluted nor spiky.
 */
public final class RateEstimator
{
    /** Default window: 5 s in 10 buckets of 500 ms. */
    public static final long DEFAULT_WINDOW_NS = 5_000_000_000L;
    public static final int DEFAULT_BUCKETS = 10;

    private static final long UNSET = Long.MIN_VALUE;

    private final long bucketNs;
    private final int buckets;
    private final long[] bytes;
    private final long[] epochs;
    private long startNs = UNSET;
    private long total;

    public RateEstimator()
    {
        this(DEFAULT_WINDOW_NS, DEFAULT_BUCKETS);
    }

    public RateEstimator(final long windowNs, final int buckets)
    {
        if (buckets < 1 || windowNs < buckets)
        {
            throw new IllegalArgumentException("window " + windowNs + " ns in " + buckets + " buckets");
        }
        this.buckets = buckets;
        this.bucketNs = windowNs / buckets;
        this.bytes = new long[buckets];
        this.epochs = new long[buckets];
        java.util.Arrays.fill(epochs, UNSET);
    }

    /** Starts measuring at {@code nowNs} (e.g. when the peer connected); otherwise the first record starts it. */
    public void start(final long nowNs)
    {
        if (startNs == UNSET)
        {
            startNs = nowNs;
        }
    }

    /** Counts {@code count} bytes transferred at {@code nowNs}. */
    public void record(final long count, final long nowNs)
    {
        start(nowNs);
        final long epoch = Math.floorDiv(nowNs, bucketNs);
        final int i = (int)Math.floorMod(epoch, (long)buckets);
        if (epochs[i] != epoch)
        {
            epochs[i] = epoch;
            bytes[i] = 0;
        }
        bytes[i] += count;
        total += count;
    }

    /** Bytes per second over the window ending at {@code nowNs}; 0 before anything was recorded or started. */
    public long rate(final long nowNs)
    {
        if (startNs == UNSET)
        {
            return 0;
        }
        final long epoch = Math.floorDiv(nowNs, bucketNs);
        long sum = 0;
        for (int i = 0; i < buckets; i++)
        {
            final long e = epochs[i];
            if (e != UNSET && e <= epoch && e > epoch - buckets)
            {
                sum += bytes[i];
            }
        }
        long covered = (buckets - 1) * bucketNs + (nowNs - epoch * bucketNs);
        covered = Math.min(covered, nowNs - startNs);
        covered = Math.max(covered, bucketNs);
        return (long)(sum * 1e9 / covered);
    }

    /** All bytes ever recorded. */
    public long total()
    {
        return total;
    }

    /** Forgets everything (the peer slot is reused). */
    public void reset()
    {
        java.util.Arrays.fill(epochs, UNSET);
        java.util.Arrays.fill(bytes, 0);
        startNs = UNSET;
        total = 0;
    }
}
