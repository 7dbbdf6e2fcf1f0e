package io.spate.dht;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source IP for the queries we answer: {@code ratePerSecond} on average, bursts of {@code burst}.
 * The map of sources is bounded (least recently seen evicted first), so spoofed sources cost memory up to the bound
 * and no more; an evicted source starts again with a full bucket, which is what a new source gets anyway. Time is
 * passed in; owned by the DHT thread.
 */
public final class SourceRateLimiter
{
    private final double ratePerNs;
    private final double burst;
    private final int maxSources;
    private final LinkedHashMap<InetAddress, Bucket> buckets;

    /** One source's tokens and when they were last counted. */
    private static final class Bucket
    {
        double tokens;
        long atNs;

        Bucket(final double tokens, final long atNs)
        {
            this.tokens = tokens;
            this.atNs = atNs;
        }
    }

    public SourceRateLimiter(final double ratePerSecond, final int burst, final int maxSources)
    {
        this.ratePerNs = ratePerSecond / 1e9;
        this.burst = burst;
        this.maxSources = maxSources;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true)
        {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(final Map.Entry<InetAddress, Bucket> eldest)
            {
                return size() > SourceRateLimiter.this.maxSources;
            }
        };
    }

    /** @return whether a query from {@code source} may be served now (and takes a token if so). */
    public boolean tryAcquire(final InetAddress source, final long nowNs)
    {
        Bucket bucket = buckets.get(source);
        if (bucket == null)
        {
            bucket = new Bucket(burst, nowNs);
            buckets.put(source, bucket);
        }
        final double tokens = Math.min(burst, bucket.tokens + (nowNs - bucket.atNs) * ratePerNs);
        bucket.atNs = nowNs;
        if (tokens < 1)
        {
            bucket.tokens = tokens;
            return false;
        }
        bucket.tokens = tokens - 1;
        return true;
    }

    /** @return sources tracked now (at most maxSources). */
    public int sources()
    {
        return buckets.size();
    }
}
